import { GetRoleCommand, type IAMClient, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import {
  DENY_ALL_TRUST_POLICY,
  decodePolicyDocument,
  isAwsError,
  parseIamPrincipalArn,
  REVOKE_OLDER_SESSIONS_POLICY_NAME,
  type RoleUndo,
  samePolicy,
} from '@cryptominer-defense/core';
import type { PlannedReleaseStep } from '../releasePlan';
import { currentStateUnreadable } from './currentStateUnreadable';
import { describeTrustPolicy } from './describeTrustPolicy';
import { planDenyAllDetach } from './planDenyAllDetach';
import { planInlinePolicyRemoval } from './planInlinePolicyRemoval';

/**
 * The frozen role's AWSDenyAll detached (schema 2.0); for older reports, its original trust policy restored (only
 * while the response's deny is in place) and its revoke-older-sessions policy removed.
 */
export async function planRole(iam: IAMClient, undo: RoleUndo): Promise<PlannedReleaseStep[]> {
  const roleName = parseIamPrincipalArn(undo.roleArn)?.name ?? undo.roleArn;
  const steps: PlannedReleaseStep[] = [];
  if (undo.deniedByPolicyArn != null) {
    steps.push(
      await planDenyAllDetach(iam, { kind: 'role', name: roleName, arn: undo.roleArn }, undo.deniedByPolicyArn),
    );
  }
  // Reports before schema 2.0: the trust policy the freeze replaced, and its revoke-sessions inline policy.
  if (undo.trustPolicyReplaced && undo.originalTrustPolicy !== null) {
    const original = undo.originalTrustPolicy;
    const base = {
      change: { action: 'restoreTrustPolicy', roleName, policyDocument: original },
      target: roleName,
      summary: `trust policy of role ${roleName}: explicit deny → the original from the report (${describeTrustPolicy(original)})`,
    } as const;
    try {
      const role = await iam.send(new GetRoleCommand({ RoleName: roleName }));
      const current = decodePolicyDocument(role.Role?.AssumeRolePolicyDocument) ?? '';
      if (samePolicy(current, original)) {
        steps.push({ ...base, decision: 'already-done', reason: 'the original trust policy is in place' });
      } else if (samePolicy(current, DENY_ALL_TRUST_POLICY)) {
        steps.push({ ...base, decision: 'apply' });
      } else {
        steps.push({
          ...base,
          decision: 'skip',
          reason: 'the trust policy was changed after the freeze: not overwritten (the original is in the report)',
        });
      }
    } catch (error) {
      const gone = isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException');
      steps.push({
        ...base,
        decision: 'skip',
        reason: gone ? 'the role no longer exists' : currentStateUnreadable(error),
      });
    }
  }
  if (undo.revokeSessionsPolicyName !== null) {
    const policyName = undo.revokeSessionsPolicyName;
    steps.push(
      await planInlinePolicyRemoval(
        {
          change: { action: 'removeRevokeSessionsPolicy', roleName, policyName },
          target: roleName,
          summary: `inline policy ${policyName} of role ${roleName}: removed`,
        },
        'role',
        () => iam.send(new ListRolePoliciesCommand({ RoleName: roleName })),
        REVOKE_OLDER_SESSIONS_POLICY_NAME,
      ),
    );
  }
  return steps;
}
