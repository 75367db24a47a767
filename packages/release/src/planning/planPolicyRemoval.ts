import { isAwsError } from '@cryptominer-defense/core';
import type { PlannedReleaseStep } from '../releasePlan';
import { currentStateUnreadable } from './currentStateUnreadable';

/**
 * Taking a policy the response put on a user or a role off again: applied while it is there, already done once it is
 * gone, skipped when the user or role is gone or cannot be read.
 */
export async function planPolicyRemoval(
  base: Omit<PlannedReleaseStep, 'decision' | 'reason'>,
  principal: 'user' | 'role',
  isAttached: () => Promise<boolean>,
): Promise<PlannedReleaseStep> {
  try {
    return (await isAttached())
      ? { ...base, decision: 'apply' }
      : { ...base, decision: 'already-done', reason: 'the policy is not attached' };
  } catch (error) {
    const gone = isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException');
    return {
      ...base,
      decision: 'skip',
      reason: gone ? `the ${principal} no longer exists` : currentStateUnreadable(error),
    };
  }
}
