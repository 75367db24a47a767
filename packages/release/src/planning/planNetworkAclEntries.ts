import { DescribeNetworkAclsCommand, type EC2Client, type NetworkAcl } from '@aws-sdk/client-ec2';
import { isAwsError, type NetworkAclEntryUndo } from '@cryptominer-defense/core';
import type { PlannedReleaseStep } from '../releasePlan';
import { currentStateUnreadable } from './currentStateUnreadable';

const directionOf = (egress: boolean) => (egress ? 'outbound' : 'inbound');

/** The change that deletes one recorded entry, with what a person reads about it. */
function removalOf(entry: NetworkAclEntryUndo) {
  return {
    change: {
      action: 'removeNetworkAclEntries',
      networkAclId: entry.networkAclId,
      ruleNumber: entry.ruleNumber,
      egress: entry.egress,
    },
    target: `${entry.networkAclId} rule ${entry.ruleNumber} ${directionOf(entry.egress)}`,
    summary: `${entry.networkAclId}: delete the ${directionOf(entry.egress)} deny of ${entry.cidrBlock} at rule ${entry.ruleNumber}`,
  } as const;
}

/** What to do about one recorded deny entry, from its ACL as it is now (undefined: the ACL is gone). */
function decide(entry: NetworkAclEntryUndo, acl: NetworkAcl | undefined): PlannedReleaseStep {
  const base = removalOf(entry);
  if (acl === undefined) return { ...base, decision: 'already-done', reason: 'the network ACL is gone' };
  const there = (acl.Entries ?? []).find(
    (candidate) => candidate.RuleNumber === entry.ruleNumber && (candidate.Egress ?? false) === entry.egress,
  );
  if (there === undefined) return { ...base, decision: 'already-done', reason: 'the entry is gone' };
  const cidr = (there.Ipv6CidrBlock ?? there.CidrBlock ?? '').toLowerCase();
  if (there.RuleAction !== 'deny' || cidr !== entry.cidrBlock.toLowerCase()) {
    const reason = `rule ${entry.ruleNumber} is now ${there.RuleAction} ${cidr}: someone changed it, it is left alone`;
    return { ...base, decision: 'skip', reason };
  }
  return { ...base, decision: 'apply' };
}

/**
 * The deny entries of the network ACL hard cut, deleted where they are still as added (the same rule number,
 * direction, address and deny); already done when the entry or its ACL is gone; left alone when the number now
 * holds another entry (a person's). One read for every ACL the report names.
 */
export async function planNetworkAclEntries(
  ec2: EC2Client,
  entries: readonly NetworkAclEntryUndo[],
): Promise<PlannedReleaseStep[]> {
  if (entries.length === 0) return [];
  const networkAclIds = [...new Set(entries.map((entry) => entry.networkAclId))];
  let acls: readonly NetworkAcl[];
  try {
    acls = await readAcls(ec2, networkAclIds);
  } catch (error) {
    return entries.map((entry) => ({ ...removalOf(entry), decision: 'skip', reason: currentStateUnreadable(error) }));
  }
  return entries.map((entry) =>
    decide(
      entry,
      acls.find((acl) => acl.NetworkAclId === entry.networkAclId),
    ),
  );
}

/** The ACLs by id; one that no longer exists is left out (EC2 refuses the whole read for it, so each is read again). */
async function readAcls(ec2: EC2Client, networkAclIds: readonly string[]): Promise<readonly NetworkAcl[]> {
  try {
    return (await ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [...networkAclIds] }))).NetworkAcls ?? [];
  } catch (error) {
    if (!isAwsError(error, 'InvalidNetworkAclID.NotFound')) throw error;
    if (networkAclIds.length === 1) return [];
    const each = await Promise.all(networkAclIds.map((networkAclId) => readAcls(ec2, [networkAclId])));
    return each.flat();
  }
}
