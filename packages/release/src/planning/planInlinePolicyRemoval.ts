import type { PlannedReleaseStep } from '../releasePlan';
import { planPolicyRemoval } from './planPolicyRemoval';

export type InlinePolicyRemoval = Extract<
  PlannedReleaseStep['change'],
  { action: 'removeUserDenyPolicy' } | { action: 'removeRevokeSessionsPolicy' }
>;

/**
 * Removing an inline policy the response put on a user or a role (reports before schema 2.0): applied while the
 * policy is attached, already done once it is gone, skipped when the user or role is gone or cannot be read, and
 * refused when the report names any other policy than the one the tool wrote (`toolPolicyName`): release deletes
 * only what the tool put there, whatever a report says.
 */
export async function planInlinePolicyRemoval(
  base: { readonly change: InlinePolicyRemoval; readonly target: string; readonly summary: string },
  principal: 'user' | 'role',
  listPolicies: () => Promise<{ PolicyNames?: string[] }>,
  toolPolicyName: string,
): Promise<PlannedReleaseStep> {
  if (base.change.policyName !== toolPolicyName) {
    return { ...base, decision: 'skip', reason: `not the policy the tool writes (${toolPolicyName}): left as it is` };
  }
  return planPolicyRemoval(base, principal, async () =>
    ((await listPolicies()).PolicyNames ?? []).includes(base.change.policyName),
  );
}
