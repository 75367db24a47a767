import { type EC2Client, ModifyNetworkInterfaceAttributeCommand } from '@aws-sdk/client-ec2';
import {
  alreadyDone,
  isAwsError,
  type NetworkInterfaceUndo,
  type StepRecord,
  type StepResult,
  skipped,
  succeeded,
} from '@cryptominer-defense/core';
import { decidedRecord, runAction } from '../runAction';
import { createSecurityGroupCache, groupCacheKey, type SecurityGroupCache } from '../securityGroupCache';
import { findOrCreateConnectionCutGroup } from './findOrCreateConnectionCutGroup';
import { findOrCreateIsolationGroup } from './findOrCreateIsolationGroup';
import type { InstanceFacts } from './inspectInstance';
import { NO_LOOKUPS, type SecurityGroupLookups } from './lookUpSecurityGroupsEarly';

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
 * only the primary one). If the first move fails, the ENI still goes onto the isolation group: isolation
 * comes first, and the report says that tracked connections may have survived. ENIs and VPCs are handled
 * independently: a failure in one does not stop the others.
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
  const cache = options.groupCache ?? createSecurityGroupCache();
  const scope = options.scope ?? 'local';
  const lookups = options.lookups ?? NO_LOOKUPS;
  const keyOf = (vpcId: string, name: string) => groupCacheKey(scope, vpcId, name);
  /** The group of that name in a VPC: cached, else found (with a look-up started early, if any) or created. */
  const groupNamed =
    (name: string, findOrCreate: typeof findOrCreateIsolationGroup) =>
    (vpcId: string): Promise<string> =>
      cache.resolve(keyOf(vpcId, name), () => findOrCreate(ec2, vpcId, name, lookups.take(vpcId, name)));
  const isolationGroupOf = groupNamed(options.isolationGroupName, findOrCreateIsolationGroup);
  const connectionCutGroupOf = groupNamed(options.connectionCutGroupName, findOrCreateConnectionCutGroup);
  /** Moves the ENI onto one group; a cached id that no longer exists is found again once. */
  const moveOnto = async (
    networkInterfaceId: string,
    vpcId: string,
    name: string,
    groupOf: typeof isolationGroupOf,
  ) => {
    const attempt = async () => {
      const groupId = await groupOf(vpcId);
      await ec2.send(
        new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: networkInterfaceId, Groups: [groupId] }),
      );
      return groupId;
    };
    try {
      return await attempt();
    } catch (error) {
      if (!isAwsError(error, 'InvalidGroup.NotFound')) throw error;
      cache.evict(keyOf(vpcId, name));
      return attempt();
    }
  };

  const perInterface = await Promise.all(
    instance.networkInterfaces.map(async (networkInterface) => {
      const { networkInterfaceId, vpcId } = networkInterface;
      const current = networkInterface.securityGroupIds;
      const only = (groupId: string) => current.length === 1 && current[0] === groupId;

      // Both groups are looked up (or created) at once: the first finding of a VPC waits for one, not for one
      // after the other. The cut step below gets the same lookup from the cache; a failed one is tried again there.
      connectionCutGroupOf(vpcId).catch(() => undefined);
      const isolationKnown = await runAction<string | null>(
        { step: STEP, action: 'findIsolationGroup', target: vpcId },
        async () => ({ result: succeeded, value: await isolationGroupOf(vpcId) }),
        null,
      );
      if (isolationKnown.value !== null && only(isolationKnown.value)) {
        const done = alreadyDone('already on the isolation group only');
        return {
          records: [decidedRecord({ step: STEP, action: 'moveToIsolationGroup', target: networkInterfaceId }, done)],
          undo: null,
        };
      }
      const cut = await runAction<string | null>(
        { step: STEP, action: 'moveToConnectionCutGroup', target: networkInterfaceId },
        async () => {
          const groupId = await connectionCutGroupOf(vpcId);
          if (only(groupId)) return { result: alreadyDone('already on the all-open group'), value: groupId };
          return {
            result: succeeded,
            value: await moveOnto(networkInterfaceId, vpcId, options.connectionCutGroupName, connectionCutGroupOf),
          };
        },
        null,
      );
      const isolated = await runAction<string | null>(
        { step: STEP, action: 'moveToIsolationGroup', target: networkInterfaceId },
        async () => ({
          result: succeeded as StepResult,
          value: await moveOnto(networkInterfaceId, vpcId, options.isolationGroupName, isolationGroupOf),
        }),
        null,
      );
      const records = [
        ...(isolationKnown.record.status === 'failed' ? [isolationKnown.record] : []),
        cut.record,
        isolated.record,
      ];
      if (isolated.value === null) return { records, undo: null };
      // An ENI found on the all-open group was moved by an earlier, interrupted run: its pre-incident groups
      // are in that run's report, not here.
      const previous = cut.value !== null && only(cut.value) ? [] : [...current];
      const undo: NetworkInterfaceUndo = {
        networkInterfaceId,
        vpcId,
        previousSecurityGroupIds: previous,
        isolationSecurityGroupId: isolated.value,
        connectionCutSecurityGroupId: cut.value,
      };
      return { records, undo };
    }),
  );
  return {
    records: perInterface.flatMap((outcome) => outcome.records),
    undo: perInterface.flatMap((outcome) => (outcome.undo === null ? [] : [outcome.undo])),
  };
}
