import {
  CreateNetworkAclEntryCommand,
  DescribeNetworkAclsCommand,
  type EC2Client,
  type NetworkAcl,
} from '@aws-sdk/client-ec2';
import {
  alreadyDone,
  failed,
  isAwsError,
  type NetworkAclEntryUndo,
  type StepRecord,
  skipped,
  succeeded,
} from '@cryptominer-defense/core';
import type { ReadsInFlight } from '../recentAnswers';
import { decidedRecord, runAction } from '../runAction';
import type { InstanceFacts } from './inspectInstance';
import { existingDeny, isIpv6, spreadRuleNumbers, type WantedDeny } from './networkAclRuleNumbers';

export interface NetworkAclCutResult {
  /** One record per address and direction (plus the read of the ACLs when it failed). */
  readonly records: readonly StepRecord[];
  /** The entries it added: release deletes exactly these. */
  readonly undo: readonly NetworkAclEntryUndo[];
}

const STEP = 'denyInNetworkAcls' as const;

/** How many times an ACL is read again when another writer took a rule number first (NetworkAclEntryAlreadyExists). */
const ATTEMPTS = 3;

/** The code of the failure a person must resolve: no free number below the first allow (nothing is reshuffled). */
export const NO_FREE_RULE_NUMBER = 'NetworkAclHasNoFreeRuleNumber';

const directionOf = (egress: boolean) => (egress ? 'outbound' : 'inbound');
const targetOf = (wanted: WantedDeny, networkAclId: string) =>
  `${wanted.cidrBlock} ${directionOf(wanted.egress)} in ${networkAclId}`;
const actionOf = (wanted: WantedDeny) => (wanted.egress ? 'denyOutbound' : 'denyInbound');

const undoOf = (networkAclId: string, wanted: WantedDeny, ruleNumber: number): NetworkAclEntryUndo => ({
  networkAclId,
  ruleNumber,
  egress: wanted.egress,
  cidrBlock: wanted.cidrBlock,
  networkInterfaceId: wanted.networkInterfaceId,
});

/** Every address of every ENI with a subnet, in both directions, by subnet. */
function wantedBySubnet(instance: InstanceFacts): Map<string, WantedDeny[]> {
  const bySubnet = new Map<string, WantedDeny[]>();
  for (const eni of instance.networkInterfaces) {
    if (eni.subnetId === null) continue;
    const cidrs = [
      ...eni.privateIpAddresses.map((address) => `${address}/32`),
      ...eni.ipv6Addresses.map((address) => `${address}/128`),
    ];
    const wanted = [false, true].flatMap((egress) =>
      cidrs.map((cidrBlock) => ({ networkInterfaceId: eni.networkInterfaceId, cidrBlock, egress })),
    );
    bySubnet.set(eni.subnetId, [...(bySubnet.get(eni.subnetId) ?? []), ...wanted]);
  }
  return bySubnet;
}

/**
 * The hard cut for this instance only: flows through a NAT gateway, an NLB, a transit gateway (and the other paths
 * of the EC2 User Guide's "automatically tracked connections") stay tracked whatever the security groups say, so
 * the group swap cannot end them. In the network ACL of each ENI's subnet, each private IPv4 /32 and IPv6 /128 of
 * the ENI is denied, inbound and outbound, at free rule numbers among the highest below the ACL's first allow
 * (spread by address, so concurrent responses in one subnet rarely ask for the same one); the other instances of
 * the subnet keep their traffic. An address denied there already (before any allow) is already done.
 * A rule number another writer took meanwhile (NetworkAclEntryAlreadyExists) is chosen again from a fresh read, a
 * few times; with no free number below the first allow, the entry is recorded as failed (NO_FREE_RULE_NUMBER) for
 * a person: other entries are never moved. Runs beside the group swap, from the instance read.
 */
export async function denyInNetworkAcls(
  ec2: EC2Client,
  instance: InstanceFacts,
  sharing: { readonly shared?: ReadsInFlight; readonly scope?: string } = {},
): Promise<NetworkAclCutResult> {
  const bySubnet = wantedBySubnet(instance);
  if (bySubnet.size === 0) {
    const reason = 'the instance has no network interface in a subnet';
    return { records: [decidedRecord({ step: STEP, target: instance.instanceId }, skipped(reason))], undo: [] };
  }
  const subnetIds = [...bySubnet.keys()];
  const read = await runAction<readonly NetworkAcl[] | null>(
    { step: STEP, action: 'readNetworkAcls', target: subnetIds.join(', ') },
    async () => {
      const describe = async () =>
        (
          await ec2.send(
            new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: subnetIds }] }),
          )
        ).NetworkAcls ?? [];
      // A burst in one subnet reads its ACL once (read only: the entries are chosen per response from it).
      const { shared, scope } = sharing;
      const key = `networkAcls/${scope}/${[...subnetIds].sort().join(',')}`;
      return { result: succeeded, value: shared === undefined ? await describe() : await shared(key, describe) };
    },
    null,
  );
  if (read.value === null) return { records: [read.record], undo: [] };
  const acls = read.value;
  const byAcl = new Map<string, { acl: NetworkAcl; wanted: WantedDeny[] }>();
  const records: StepRecord[] = [];
  for (const [subnetId, wanted] of bySubnet) {
    const acl = acls.find((candidate) =>
      (candidate.Associations ?? []).some((association) => association.SubnetId === subnetId),
    );
    if (acl?.NetworkAclId === undefined) {
      const result = failed('NetworkAclNotFound', `DescribeNetworkAcls named no network ACL of ${subnetId}`);
      records.push(decidedRecord({ step: STEP, target: subnetId }, result));
      continue;
    }
    const known = byAcl.get(acl.NetworkAclId);
    byAcl.set(acl.NetworkAclId, { acl, wanted: [...(known?.wanted ?? []), ...wanted] });
  }
  const perAcl = await Promise.all(
    [...byAcl.entries()].map(([networkAclId, { acl, wanted }]) => denyInAcl(ec2, networkAclId, acl, wanted)),
  );
  return {
    records: [...records, ...perAcl.flatMap((outcome) => outcome.records)],
    undo: perAcl.flatMap((outcome) => outcome.undo),
  };
}

/** The deny entries of one ACL: numbers chosen from what was read, chosen again from a fresh read after a clash. */
async function denyInAcl(
  ec2: EC2Client,
  networkAclId: string,
  firstRead: NetworkAcl,
  wanted: readonly WantedDeny[],
): Promise<NetworkAclCutResult> {
  const records: StepRecord[] = [];
  const undo: NetworkAclEntryUndo[] = [];
  /** The rule number asked for each entry that clashed. */
  const tried = new Map<WantedDeny, number>();
  let acl = firstRead;
  let pending = wanted;
  for (let attempt = 1; attempt <= ATTEMPTS && pending.length > 0; attempt += 1) {
    if (attempt > 1) {
      const reread = await runAction<NetworkAcl | null>(
        { step: STEP, action: 'readNetworkAcls', target: networkAclId },
        async () => {
          const answer = await ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [networkAclId] }));
          return { result: succeeded, value: answer.NetworkAcls?.[0] ?? null };
        },
        null,
      );
      if (reread.value === null) {
        records.push(reread.record);
        break;
      }
      acl = reread.value;
    }
    const entries = acl.Entries ?? [];
    const toAdd: { wanted: WantedDeny; ruleNumber: number | undefined }[] = [];
    for (const egress of [false, true]) {
      const inThisDirection = pending.filter((one) => one.egress === egress);
      const missing = inThisDirection.filter((one) => {
        const there = existingDeny(entries, one);
        if (there === null) return true;
        const where = { step: STEP, action: actionOf(one), target: targetOf(one, networkAclId) };
        // At the number this run asked for: its own entry, added though the answer was lost (a retried call).
        const ours = there.RuleNumber !== undefined && tried.get(one) === there.RuleNumber;
        records.push(
          decidedRecord(where, ours ? succeeded : alreadyDone(`denied already by rule ${there.RuleNumber}`)),
        );
        if (ours) undo.push(undoOf(networkAclId, one, there.RuleNumber ?? 0));
        return false;
      });
      // IPv4 first: when numbers run short, the addresses most flows use are cut.
      const ordered = [...missing].sort((a, b) => Number(isIpv6(a.cidrBlock)) - Number(isIpv6(b.cidrBlock)));
      const numbers = spreadRuleNumbers(
        entries,
        egress,
        ordered.map((one) => one.cidrBlock),
        attempt,
      );
      toAdd.push(...ordered.map((one, index) => ({ wanted: one, ruleNumber: numbers[index] })));
    }
    const clashed: WantedDeny[] = [];
    const outcomes = await Promise.all(
      toAdd.map(({ wanted: one, ruleNumber }) => addDeny(ec2, networkAclId, one, ruleNumber, attempt === ATTEMPTS)),
    );
    for (const [index, outcome] of outcomes.entries()) {
      const { wanted: one, ruleNumber } = toAdd[index] ?? {};
      if (outcome.clashed && one !== undefined && ruleNumber !== undefined) {
        clashed.push(one);
        tried.set(one, ruleNumber);
      }
      if (outcome.record !== null) records.push(outcome.record);
      if (outcome.undo !== null) undo.push(outcome.undo);
    }
    pending = clashed;
  }
  return { records, undo };
}

/** Adds one deny entry; a clash on its number is recorded only on the last attempt (else the caller tries again). */
async function addDeny(
  ec2: EC2Client,
  networkAclId: string,
  wanted: WantedDeny,
  ruleNumber: number | undefined,
  lastAttempt: boolean,
): Promise<{ record: StepRecord | null; undo: NetworkAclEntryUndo | null; clashed: boolean }> {
  const where = { step: STEP, action: actionOf(wanted), target: targetOf(wanted, networkAclId) };
  if (ruleNumber === undefined) {
    const message = `no free rule number below the first allow of ${networkAclId} (${directionOf(wanted.egress)}): a person must make room; no entry was moved`;
    return { record: decidedRecord(where, failed(NO_FREE_RULE_NUMBER, message)), undo: null, clashed: false };
  }
  let clashed = false;
  const added = await runAction<boolean>(
    where,
    async () => {
      try {
        await ec2.send(
          new CreateNetworkAclEntryCommand({
            NetworkAclId: networkAclId,
            RuleNumber: ruleNumber,
            Protocol: '-1',
            RuleAction: 'deny',
            Egress: wanted.egress,
            ...(isIpv6(wanted.cidrBlock) ? { Ipv6CidrBlock: wanted.cidrBlock } : { CidrBlock: wanted.cidrBlock }),
          }),
        );
        return { result: succeeded, value: true };
      } catch (error) {
        if (lastAttempt || !isAwsError(error, 'NetworkAclEntryAlreadyExists')) throw error;
        clashed = true;
        return { result: succeeded, value: false };
      }
    },
    false,
  );
  if (clashed) return { record: null, undo: null, clashed: true };
  const undo = added.value ? undoOf(networkAclId, wanted, ruleNumber) : null;
  return { record: added.record, undo, clashed: false };
}
