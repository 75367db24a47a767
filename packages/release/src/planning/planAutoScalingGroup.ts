import { type AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import type { AutoScalingGroupUndo } from '@cryptominer-defense/core';
import type { PlannedReleaseStep } from '../releasePlan';
import { currentStateUnreadable } from './currentStateUnreadable';

/**
 * The Auto Scaling group back to its sizes from before the incident: applied while it is at the response's 0/0/0,
 * already done at its old sizes, skipped when it was resized since or is gone.
 */
export async function planAutoScalingGroup(
  autoScaling: AutoScalingClient,
  undo: AutoScalingGroupUndo,
): Promise<PlannedReleaseStep> {
  const wanted = { min: undo.previousMinSize, max: undo.previousMaxSize, desired: undo.previousDesiredCapacity };
  const base = {
    change: {
      action: 'restoreAutoScalingGroupSizes',
      autoScalingGroupName: undo.autoScalingGroupName,
      minSize: wanted.min,
      maxSize: wanted.max,
      desiredCapacity: wanted.desired,
    },
    target: undo.autoScalingGroupName,
  } as const;
  const sizes = (s: typeof wanted) => `min ${s.min} / max ${s.max} / desired ${s.desired}`;
  let group: { min: number; max: number; desired: number } | null;
  try {
    const described = await autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [undo.autoScalingGroupName] }),
    );
    const found = described.AutoScalingGroups?.[0];
    group =
      found === undefined
        ? null
        : { min: found.MinSize ?? 0, max: found.MaxSize ?? 0, desired: found.DesiredCapacity ?? 0 };
  } catch (error) {
    return {
      ...base,
      summary: `${undo.autoScalingGroupName}: back to ${sizes(wanted)}`,
      decision: 'skip',
      reason: currentStateUnreadable(error),
    };
  }
  if (group === null) {
    const summary = `${undo.autoScalingGroupName}: back to ${sizes(wanted)}`;
    return { ...base, summary, decision: 'skip', reason: 'the Auto Scaling group no longer exists' };
  }
  const summary = `${undo.autoScalingGroupName}: ${sizes(group)} → ${sizes(wanted)}`;
  if (group.min === wanted.min && group.max === wanted.max && group.desired === wanted.desired) {
    return { ...base, summary, decision: 'already-done', reason: 'the group already has its sizes from before' };
  }
  if (group.min === 0 && group.max === 0 && group.desired === 0) return { ...base, summary, decision: 'apply' };
  return {
    ...base,
    summary,
    decision: 'skip',
    reason: 'the group was resized after the response: not overwritten (resize it by hand if intended)',
  };
}
