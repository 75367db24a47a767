import { type IAMClient, ListAttachedRolePoliciesCommand, ListAttachedUserPoliciesCommand } from '@aws-sdk/client-iam';
import { denyAllPolicyArn } from '@cryptominer-defense/core';
import type { PlannedReleaseStep } from '../releasePlan';
import { planPolicyRemoval } from './planPolicyRemoval';

/**
 * AWSDenyAll detached from the user or role the freeze attached it to: applied while attached, already done once it
 * is gone, skipped when the principal is gone or cannot be read. Release takes off only what the tool put there: a
 * report naming any other policy (a tampered or forged report) is refused, whatever it says.
 */
export async function planDenyAllDetach(
  iam: IAMClient,
  principal: { readonly kind: 'user' | 'role'; readonly name: string; readonly arn: string },
  policyArn: string,
): Promise<PlannedReleaseStep> {
  const base = {
    change:
      principal.kind === 'user'
        ? ({ action: 'detachUserDenyAll', userName: principal.name, policyArn } as const)
        : ({ action: 'detachRoleDenyAll', roleName: principal.name, policyArn } as const),
    target: principal.name,
    summary: `${policyArn} detached from ${principal.kind} ${principal.name}`,
  };
  const expected = denyAllPolicyArn(principal.arn.split(':')[1] ?? 'aws');
  if (policyArn !== expected) {
    return { ...base, decision: 'skip', reason: `not the policy the freeze attaches (${expected}): left as it is` };
  }
  return planPolicyRemoval(base, principal.kind, async () => {
    const listed =
      principal.kind === 'user'
        ? await iam.send(new ListAttachedUserPoliciesCommand({ UserName: principal.name }))
        : await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: principal.name }));
    return (listed.AttachedPolicies ?? []).some((policy) => policy.PolicyArn === policyArn);
  });
}
