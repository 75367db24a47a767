import { type IAMClient, ListAccessKeysCommand, ListUserPoliciesCommand } from '@aws-sdk/client-iam';
import { DENY_ALL_POLICY_NAME, parseIamPrincipalArn, type UserUndo } from '@cryptominer-defense/core';
import type { PlannedReleaseStep } from '../releasePlan';
import { currentStateUnreadable } from './currentStateUnreadable';
import { planDenyAllDetach } from './planDenyAllDetach';
import { planInlinePolicyRemoval } from './planInlinePolicyRemoval';

/** The frozen user's access keys reactivated (each while still inactive) and its deny-all policy taken off. */
export async function planUser(iam: IAMClient, undo: UserUndo): Promise<PlannedReleaseStep[]> {
  const userName = parseIamPrincipalArn(undo.userArn)?.name ?? undo.userArn;
  const steps: PlannedReleaseStep[] = [];
  if (undo.deactivatedAccessKeyIds.length > 0) {
    let statuses: Map<string, string> | Error;
    try {
      const listed = await iam.send(new ListAccessKeysCommand({ UserName: userName }));
      statuses = new Map(
        (listed.AccessKeyMetadata ?? []).map((key) => [key.AccessKeyId ?? '', key.Status ?? 'Unknown']),
      );
    } catch (error) {
      statuses = error instanceof Error ? error : new Error(String(error));
    }
    for (const accessKeyId of undo.deactivatedAccessKeyIds) {
      const base = {
        change: { action: 'reactivateAccessKey', userName, accessKeyId },
        target: accessKeyId,
        summary: `access key ${accessKeyId} of ${userName}: Inactive → Active`,
      } as const;
      if (statuses instanceof Error) {
        steps.push({ ...base, decision: 'skip', reason: currentStateUnreadable(statuses) });
        continue;
      }
      const status = statuses.get(accessKeyId);
      if (status === undefined) steps.push({ ...base, decision: 'skip', reason: 'the key no longer exists' });
      else if (status === 'Active') steps.push({ ...base, decision: 'already-done', reason: 'the key is active' });
      else steps.push({ ...base, decision: 'apply' });
    }
  }
  if (undo.deniedByPolicyArn != null) {
    steps.push(
      await planDenyAllDetach(iam, { kind: 'user', name: userName, arn: undo.userArn }, undo.deniedByPolicyArn),
    );
  }
  // Reports before schema 2.0: an inline policy, removed only under the name the tool gave it.
  if (undo.denyPolicyName !== null) {
    const policyName = undo.denyPolicyName;
    steps.push(
      await planInlinePolicyRemoval(
        {
          change: { action: 'removeUserDenyPolicy', userName, policyName },
          target: userName,
          summary: `inline policy ${policyName} of user ${userName}: removed`,
        },
        'user',
        () => iam.send(new ListUserPoliciesCommand({ UserName: userName })),
        DENY_ALL_POLICY_NAME,
      ),
    );
  }
  return steps;
}
