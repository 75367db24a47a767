import {
  GetRoleCommand,
  type IAMClient,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  alreadyDone,
  DENY_ALL_TRUST_POLICY,
  decodePolicyDocument,
  REVOKE_OLDER_SESSIONS_POLICY_NAME,
  type RoleUndo,
  type StepRecord,
  samePolicy,
  succeeded,
} from '@cryptominer-defense/core';
import { runAction } from '../runAction';

export function revokeOlderSessionsPolicy(issuedBefore: Date): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Deny',
        Action: ['*'],
        Resource: ['*'],
        Condition: { DateLessThan: { 'aws:TokenIssueTime': issuedBefore.toISOString() } },
      },
    ],
  });
}

const STEP = 'freezeRole';

/**
 * Freezes a role (domain.md §5): the trust policy becomes an explicit deny (stops new sessions), and the
 * revoke-older-sessions policy denies everything to sessions issued before now (a trust change alone leaves
 * them valid for up to 12 hours). Neither depends on reading the original trust policy (GetRole).
 */
export async function freezeRole(
  iam: IAMClient,
  role: { readonly roleName: string; readonly roleArn: string },
  now: () => Date = () => new Date(),
): Promise<{ readonly records: readonly StepRecord[]; readonly undo: RoleUndo }> {
  const { roleName } = role;
  const revoke = runAction(
    { step: STEP, action: 'revokeOlderSessions', target: roleName },
    async () => {
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: roleName,
          PolicyName: REVOKE_OLDER_SESSIONS_POLICY_NAME,
          PolicyDocument: revokeOlderSessionsPolicy(now()),
        }),
      );
      return { result: succeeded, value: true };
    },
    false,
  );
  const trust = replaceTrustPolicy(iam, roleName);
  const [revoked, replaced] = await Promise.all([revoke, trust]);
  return {
    records: [...replaced.records, revoked.record],
    undo: {
      roleArn: role.roleArn,
      originalTrustPolicy: replaced.originalTrustPolicy,
      trustPolicyReplaced: replaced.replaced,
      revokeSessionsPolicyName: revoked.value ? REVOKE_OLDER_SESSIONS_POLICY_NAME : null,
    },
  };
}

async function replaceTrustPolicy(
  iam: IAMClient,
  roleName: string,
): Promise<{
  readonly records: StepRecord[];
  readonly originalTrustPolicy: string | null;
  readonly replaced: boolean;
}> {
  const read = await runAction(
    { step: STEP, action: 'readTrustPolicy', target: roleName },
    async () => {
      const response = await iam.send(new GetRoleCommand({ RoleName: roleName }));
      return { result: succeeded, value: decodePolicyDocument(response.Role?.AssumeRolePolicyDocument) };
    },
    null,
  );
  // Even when the original cannot be read, the role is frozen: containment comes before convenient undo
  // (the original is still in CloudTrail and in whatever deployed the role). The failed read is reported.
  const original = read.value;
  const replacedOutcome = await runAction(
    { step: STEP, action: 'denyTrustPolicy', target: roleName },
    async () => {
      if (original !== null && samePolicy(original, DENY_ALL_TRUST_POLICY)) {
        return { result: alreadyDone('the trust policy already denies everyone'), value: false };
      }
      await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: DENY_ALL_TRUST_POLICY }));
      return { result: succeeded, value: true };
    },
    false,
  );
  const alreadyFrozen = replacedOutcome.record.status === 'already-done';
  return {
    records: [read.record, replacedOutcome.record],
    // When the role was already frozen, the "original" read now is our own deny: not worth restoring.
    originalTrustPolicy: alreadyFrozen ? null : original,
    replaced: replacedOutcome.value,
  };
}
