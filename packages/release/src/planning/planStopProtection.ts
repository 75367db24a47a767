import { DescribeInstanceAttributeCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { StopProtectionUndo } from '@cryptominer-defense/core';
import type { PlannedReleaseStep } from '../releasePlan';
import { currentStateUnreadable } from './currentStateUnreadable';

/**
 * Stop protection back on, when the response lifted it and it was on before: applied while it is still off, already
 * done when someone turned it on again. Nothing to plan when the response did not lift it, or when its earlier
 * setting is unknown (leftForPerson says so).
 */
export async function planStopProtection(ec2: EC2Client, undo: StopProtectionUndo): Promise<PlannedReleaseStep[]> {
  if (!undo.stopProtectionLifted || undo.previousDisableApiStop !== true) return [];
  const base = {
    change: { action: 'restoreStopProtection', instanceId: undo.instanceId },
    target: undo.instanceId,
    summary: `${undo.instanceId}: stop protection (DisableApiStop) back on`,
  } as const;
  try {
    const answer = await ec2.send(
      new DescribeInstanceAttributeCommand({ InstanceId: undo.instanceId, Attribute: 'disableApiStop' }),
    );
    if (answer.DisableApiStop?.Value === true) {
      return [{ ...base, decision: 'already-done', reason: 'stop protection is already on' }];
    }
    return [{ ...base, decision: 'apply' }];
  } catch (error) {
    return [{ ...base, decision: 'skip', reason: currentStateUnreadable(error) }];
  }
}
