import {
  DescribeSecurityGroupRulesCommand,
  type EC2Client,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { isAwsError } from '@cryptominer-defense/core';

/**
 * The last resort of a failed isolation (isolateNetworkInterfaces.ts): the ENI could not leave the all-open group,
 * so every rule of that group is taken away instead and the ENI ends on a group with no rule, as if it had reached
 * the isolation group (its flows were untracked: they end at once). Revoking is another API than the move that
 * failed, and the member role allows it on the tool's all-open groups only. The rules are revoked by id, as read
 * (whatever the group holds, not only what the tool put there). Every other ENI on the group (other incidents,
 * mid-swap) is cut off too, which is what they were about to be; the group is not reopened while any ENI is on it
 * (findOrCreateConnectionCutGroup.ts).
 */
export async function closeConnectionCutGroup(ec2: EC2Client, groupId: string): Promise<void> {
  const described = await ec2.send(
    new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }),
  );
  const rules = (described.SecurityGroupRules ?? []).filter((rule) => rule.GroupId === groupId);
  const idsOf = (egress: boolean) =>
    rules.flatMap((rule) => (rule.IsEgress === egress && rule.SecurityGroupRuleId ? [rule.SecurityGroupRuleId] : []));
  const ingress = idsOf(false);
  const egress = idsOf(true);
  await Promise.all([
    ingress.length === 0
      ? undefined
      : unlessAlreadyGone(() =>
          ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, SecurityGroupRuleIds: ingress })),
        ),
    egress.length === 0
      ? undefined
      : unlessAlreadyGone(() =>
          ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: groupId, SecurityGroupRuleIds: egress })),
        ),
  ]);
}

/** Rules revoked meanwhile by another invocation closing the same group are not an error. */
async function unlessAlreadyGone(revoke: () => Promise<unknown>): Promise<void> {
  try {
    await revoke();
  } catch (error) {
    if (!isAwsError(error, 'InvalidPermission.NotFound') && !isAwsError(error, 'InvalidSecurityGroupRuleId.NotFound'))
      throw error;
  }
}
