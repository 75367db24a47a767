import {
  type AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  type DescribeAutoScalingGroupsCommandOutput,
  DetachInstancesCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  type AutoScalingGroupUndo,
  alreadyDone,
  isEffective,
  type StepRecord,
  skipped,
  succeeded,
} from '@cryptominer-defense/core';
import { decidedRecord, runAction } from '../runAction';

export interface AutoScalingResult {
  readonly records: readonly StepRecord[];
  /** The group's sizes before the response; null when the instance is in no group. */
  readonly undo: AutoScalingGroupUndo | null;
  /** True while the instance is still in the group: stopping it then would get it replaced and terminated. */
  readonly instanceStillInGroup: boolean;
}

const STEP = 'disableAutoScalingGroup';

/** A description of a group asked for before the instance was read (the finding named the group). */
export interface EarlyGroupDescription {
  readonly autoScalingGroupName: string;
  readonly answer: Promise<DescribeAutoScalingGroupsCommandOutput>;
}

/** Starts describing the group the finding names, while DescribeInstances is on the wire (a read only). */
export function describeAutoScalingGroupEarly(
  autoScaling: AutoScalingClient,
  autoScalingGroupName: string,
): EarlyGroupDescription {
  const answer = describeGroup(autoScaling, autoScalingGroupName);
  answer.catch(() => undefined);
  return { autoScalingGroupName, answer };
}

async function describeGroup(autoScaling: AutoScalingClient, autoScalingGroupName: string) {
  return autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [autoScalingGroupName] }));
}

/** The step in two parts: stopping the instance needs only the first. */
export interface AutoScalingResponse {
  /**
   * Settles as soon as the instance is out of the group (false) or known to be still in it (true): stopping it
   * is safe from then on, while the group is still being set to 0/0/0.
   */
  readonly instanceStillInGroup: Promise<boolean>;
  /** The whole step, the scaling to 0/0/0 included. */
  readonly result: Promise<AutoScalingResult>;
}

/** What taking the instance out of its group found and did, and whether the group may now go to 0/0/0. */
interface Detachment extends AutoScalingResult {
  readonly mayScaleToZero: boolean;
}

/**
 * Takes the instance out of its Auto Scaling group so that the group can neither terminate nor replace it,
 * then sets the group to 0/0/0 so the attacker's launch configuration spawns nothing new (domain.md §3).
 * Order matters: scaling to 0 first would terminate the instance and its evidence. So: lower the minimum
 * to 0 (changes no capacity, and lets the detach decrement below the old minimum), detach with decrement,
 * and only once the instance is out, set max and desired to 0 (while the instance is stopped).
 */
export function disableAutoScalingGroup(
  autoScaling: AutoScalingClient,
  instanceId: string,
  autoScalingGroupName: string | null,
  describedEarly?: EarlyGroupDescription,
): AutoScalingResponse {
  // The early description counts only for the group the instance really is in (a failed one is asked again).
  const early = describedEarly?.autoScalingGroupName === autoScalingGroupName ? describedEarly?.answer : undefined;
  const detachment = detachFromGroup(autoScaling, instanceId, autoScalingGroupName, early);
  const result = detachment.then(async ({ mayScaleToZero, ...detached }): Promise<AutoScalingResult> => {
    if (!mayScaleToZero || detached.undo === null) return detached;
    const scaled = await scaleGroupToZero(autoScaling, detached.undo);
    return { ...detached, records: [...detached.records, scaled.record] };
  });
  return { instanceStillInGroup: detachment.then((detached) => detached.instanceStillInGroup), result };
}

async function detachFromGroup(
  autoScaling: AutoScalingClient,
  instanceId: string,
  autoScalingGroupName: string | null,
  describedEarly: Promise<DescribeAutoScalingGroupsCommandOutput> | undefined,
): Promise<Detachment> {
  if (autoScalingGroupName === null) {
    return {
      records: [decidedRecord({ step: STEP }, skipped('the instance is not in an Auto Scaling group'))],
      undo: null,
      instanceStillInGroup: false,
      mayScaleToZero: false,
    };
  }
  const target = autoScalingGroupName;
  const described = await runAction(
    { step: STEP, action: 'describeGroup', target },
    async () => {
      const ask = () => describeGroup(autoScaling, autoScalingGroupName);
      const response = await (describedEarly === undefined ? ask() : describedEarly.catch(ask));
      const group = response.AutoScalingGroups?.[0];
      if (group === undefined)
        return { result: skipped(`the group ${autoScalingGroupName} no longer exists`), value: null };
      return { result: succeeded, value: group };
    },
    null,
  );
  const group = described.value;
  if (group === null) {
    // Unknown whether the instance is still in the group: do not let anyone stop it into a replacement.
    const stillInGroup = described.record.status === 'failed';
    return { records: [described.record], undo: null, instanceStillInGroup: stillInGroup, mayScaleToZero: false };
  }
  const undo: AutoScalingGroupUndo = {
    autoScalingGroupName,
    detachedInstanceId: null,
    previousMinSize: group.MinSize ?? 0,
    previousMaxSize: group.MaxSize ?? 0,
    previousDesiredCapacity: group.DesiredCapacity ?? 0,
  };
  const inGroup = (group.Instances ?? []).some((member) => member.InstanceId === instanceId);
  const records: StepRecord[] = [];

  if (inGroup && undo.previousMinSize > 0) {
    const lowered = await runAction(
      { step: STEP, action: 'lowerMinimumSize', target },
      async () => {
        await autoScaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: target, MinSize: 0 }));
        return { result: succeeded, value: null };
      },
      null,
    );
    records.push(lowered.record);
  }

  const detached = await runAction(
    { step: STEP, action: 'detachInstance', target },
    async () => {
      if (!inGroup) return { result: alreadyDone(`${instanceId} is no longer in the group`), value: false };
      await autoScaling.send(
        new DetachInstancesCommand({
          AutoScalingGroupName: target,
          InstanceIds: [instanceId],
          ShouldDecrementDesiredCapacity: true,
        }),
      );
      return { result: succeeded, value: true };
    },
    false,
  );
  records.push(detached.record);
  if (!isEffective(detached.record)) {
    records.push(
      decidedRecord(
        { step: STEP, action: 'scaleToZero', target },
        skipped('the instance could not be detached: scaling the group to 0 would terminate it'),
      ),
    );
    return { records, undo, instanceStillInGroup: true, mayScaleToZero: false };
  }
  return {
    records,
    undo: { ...undo, detachedInstanceId: detached.value ? instanceId : null },
    instanceStillInGroup: false,
    mayScaleToZero: true,
  };
}

/** Sets the group to 0/0/0 once the instance is out (`undo` names the group and its sizes before the response). */
async function scaleGroupToZero(
  autoScaling: AutoScalingClient,
  undo: AutoScalingGroupUndo,
): Promise<{ readonly record: StepRecord }> {
  const target = undo.autoScalingGroupName;
  // Detached now, it was in the group; not in it, the group may already be at 0/0/0.
  const wasInGroup = undo.detachedInstanceId !== null;
  return runAction(
    { step: STEP, action: 'scaleToZero', target },
    async () => {
      const current = { min: undo.previousMinSize, max: undo.previousMaxSize, desired: undo.previousDesiredCapacity };
      if (!wasInGroup && current.min === 0 && current.max === 0 && current.desired === 0) {
        return { result: alreadyDone('the group is already 0/0/0'), value: null };
      }
      await autoScaling.send(
        new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: target, MinSize: 0, MaxSize: 0, DesiredCapacity: 0 }),
      );
      return { result: succeeded, value: null };
    },
    null,
  );
}
