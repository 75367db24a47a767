import { isAwsError } from '@cryptominer-defense/core';
import type { PlannedReleaseStep } from '../releasePlan';
import { currentStateUnreadable } from './currentStateUnreadable';

export type InlinePolicyRemoval = Extract<
  PlannedReleaseStep['change'],
  { action: 'removeUserDenyPolicy' } | { action: 'removeRevokeSessionsPolicy' }
>;

/**
 * Removing an inline policy the response put on a user or a role: applied while the policy is attached,
 * already done once it is gone, skipped when the user or role is gone or cannot be read.
 */
export async function planInlinePolicyRemoval(
  base: { readonly change: InlinePolicyRemoval; readonly target: string; readonly summary: string },
  principal: 'user' | 'role',
  listPolicies: () => Promise<{ PolicyNames?: string[] }>,
): Promise<PlannedReleaseStep> {
  try {
    const listed = await listPolicies();
    return (listed.PolicyNames ?? []).includes(base.change.policyName)
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
