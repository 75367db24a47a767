import type { IAMClient } from '@aws-sdk/client-iam';
import { denyAllPolicyArn, type RoleUndo, type StepRecord } from '@cryptominer-defense/core';
import { attachDenyAll } from './attachDenyAll';

const STEP = 'freezeRole';

/**
 * Freezes a role (domain.md §5) by attaching AWSDenyAll: an identity policy of the role applies to every session of
 * it, those already issued included, so the live sessions are dead at once and new ones can do nothing. No trust
 * rewrite and no inline policy of the responder's choosing: the member role may attach this one policy and nothing
 * else, so a stolen responder session cannot use the freeze to give anyone a permission.
 */
export async function freezeRole(
  iam: IAMClient,
  role: { readonly roleName: string; readonly roleArn: string },
): Promise<{ readonly records: readonly StepRecord[]; readonly undo: RoleUndo }> {
  const partition = role.roleArn.split(':')[1] ?? 'aws';
  const denied = await attachDenyAll(iam, STEP, {
    kind: 'role',
    name: role.roleName,
    policyArn: denyAllPolicyArn(partition),
  });
  return {
    records: denied.records,
    undo: {
      roleArn: role.roleArn,
      originalTrustPolicy: null,
      trustPolicyReplaced: false,
      revokeSessionsPolicyName: null,
      deniedByPolicyArn: denied.attachedPolicyArn,
    },
  };
}
