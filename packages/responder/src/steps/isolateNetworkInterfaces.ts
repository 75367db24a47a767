import type { EC2Client } from '@aws-sdk/client-ec2';
import {
  alreadyDone,
  type NetworkInterfaceUndo,
  type StepRecord,
  type StepResult,
  skipped,
  succeeded,
} from '@cryptominer-defense/core';
import { decidedRecord, runAction } from '../runAction';
import type { SecurityGroupCache } from '../securityGroupCache';
import { closeConnectionCutGroup } from './closeConnectionCutGroup';
import type { InstanceFacts } from './inspectInstance';
import type { SecurityGroupLookups } from './lookUpSecurityGroupsEarly';
import { securityGroupsOfVpcs, type VpcSecurityGroups } from './securityGroupsOfVpcs';

export interface IsolationResult {
  /** Per ENI: the move onto the all-open group, then the move onto the isolation group. */
  readonly records: readonly StepRecord[];
  /** The ENIs moved, with the groups they had: what a person needs to undo it. */
  readonly undo: readonly NetworkInterfaceUndo[];
}

export interface IsolationOptions {
  readonly isolationGroupName: string;
  readonly connectionCutGroupName: string;
  /** Shared across invocations; keys are prefixed with `scope`. */
  readonly groupCache?: SecurityGroupCache;
  /** The account and region (`111122223333/us-east-1`): group ids are only valid there. */
  readonly scope?: string;
  /** Look-ups of the groups started while the instance was read (lookUpSecurityGroupsEarly.ts). */
  readonly lookups?: SecurityGroupLookups;
}

const STEP = 'isolateNetworkInterfaces';

/**
 * Cuts every ENI of the instance off, live connections included (domain.md §2): per ENI, first onto the
 * all-open group of its VPC (its flows become untracked), then onto the no-rule isolation group (untracked
 * flows end at once). Both moves use ModifyNetworkInterfaceAttribute per ENI (ModifyInstanceAttribute touches
 * only the primary one). It fails closed: the all-open move happens only once the isolation group is ready (else
 * the ENI goes straight for the isolation group, and the report says tracked connections may have survived); a
 * failed move off the all-open group is tried once more with the group found afresh, and when that fails too the
 * all-open group's rules are taken away instead (closeConnectionCutGroup.ts), so no ENI is left open to all
 * traffic unless that fails as well (then the handler fails the invocation: SQS delivers the finding again).
 * ENIs and VPCs are handled independently: a failure in one does not stop the others.
 */
export async function isolateNetworkInterfaces(
  ec2: EC2Client,
  instance: InstanceFacts,
  options: IsolationOptions,
): Promise<IsolationResult> {
  if (instance.networkInterfaces.length === 0) {
    const reason = 'the instance has no network interface to isolate';
    return { records: [decidedRecord({ step: STEP, target: instance.instanceId }, skipped(reason))], undo: [] };
  }
  const groups = securityGroupsOfVpcs(ec2, options);
  const perInterface = await Promise.all(
    instance.networkInterfaces.map((networkInterface) => isolateOne(ec2, networkInterface, groups)),
  );
  return {
    records: [...perInterface.flatMap((outcome) => outcome.records), ...groups.passedOverRecords()],
    undo: perInterface.flatMap((outcome) => (outcome.undo === null ? [] : [outcome.undo])),
  };
}

async function isolateOne(
  ec2: EC2Client,
  networkInterface: InstanceFacts['networkInterfaces'][number],
  groups: VpcSecurityGroups,
): Promise<{ readonly records: readonly StepRecord[]; readonly undo: NetworkInterfaceUndo | null }> {
  const { networkInterfaceId, vpcId } = networkInterface;
  const current = networkInterface.securityGroupIds;
  const only = (groupId: string) => current.length === 1 && current[0] === groupId;

  // Both groups are looked up (or created) at once: the first finding of a VPC waits for one, not for one
  // after the other. The cut below gets the same lookup from the cache; a failed one is tried again there.
  groups.connectionCut.resolve(vpcId).catch(() => undefined);
  const isolationKnown = await runAction<string | null>(
    { step: STEP, action: 'findIsolationGroup', target: vpcId },
    async () => ({ result: succeeded, value: await groups.isolation.resolve(vpcId) }),
    null,
  );
  if (isolationKnown.value !== null && only(isolationKnown.value)) {
    const done = alreadyDone('already on the isolation group only');
    return {
      records: [decidedRecord({ step: STEP, action: 'moveToIsolationGroup', target: networkInterfaceId }, done)],
      undo: null,
    };
  }
  const cutWhere = { step: STEP, action: 'moveToConnectionCutGroup', target: networkInterfaceId } as const;
  const cut =
    isolationKnown.value === null
      ? {
          record: decidedRecord(
            cutWhere,
            skipped(
              'the isolation group is not ready: the ENI is not opened to all traffic, tracked connections may survive',
            ),
          ),
          value: null,
        }
      : await runAction<string | null>(
          cutWhere,
          async () => {
            const groupId = await groups.connectionCut.resolve(vpcId);
            if (only(groupId)) return { result: alreadyDone('already on the all-open group'), value: groupId };
            return { result: succeeded, value: await groups.connectionCut.moveOnto(networkInterfaceId, vpcId) };
          },
          null,
        );
  const onAllOpen = cut.value;
  const isolated = await runAction<string | null>(
    { step: STEP, action: 'moveToIsolationGroup', target: networkInterfaceId },
    async () => {
      try {
        return { result: succeeded as StepResult, value: await groups.isolation.moveOnto(networkInterfaceId, vpcId) };
      } catch (error) {
        // Off the all-open group it must go: once more, with the group found afresh (it may be gone or altered).
        if (onAllOpen === null) throw error;
        groups.isolation.forget(vpcId);
        return { result: succeeded as StepResult, value: await groups.isolation.moveOnto(networkInterfaceId, vpcId) };
      }
    },
    null,
  );
  const closed =
    isolated.value === null && onAllOpen !== null
      ? await runAction<string | null>(
          { step: STEP, action: 'closeConnectionCutGroup', target: onAllOpen },
          async () => {
            await closeConnectionCutGroup(ec2, onAllOpen);
            groups.connectionCut.forget(vpcId);
            return { result: succeeded, value: onAllOpen };
          },
          null,
        )
      : null;
  const records = [
    ...(isolationKnown.record.status === 'failed' ? [isolationKnown.record] : []),
    cut.record,
    isolated.record,
    ...(closed === null ? [] : [closed.record]),
  ];
  const endedOn = isolated.value ?? closed?.value ?? null;
  if (endedOn === null) return { records, undo: null };
  // An ENI found on the all-open group was moved by an earlier, interrupted run: its pre-incident groups
  // are in that run's report, not here.
  const previous = onAllOpen !== null && only(onAllOpen) ? [] : [...current];
  const undo: NetworkInterfaceUndo = {
    networkInterfaceId,
    vpcId,
    previousSecurityGroupIds: previous,
    isolationSecurityGroupId: endedOn,
    connectionCutSecurityGroupId: onAllOpen,
  };
  return { records, undo };
}
