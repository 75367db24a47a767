import {
  CreateTagsCommand,
  type EC2Client,
  type IpPermission,
  RevokeSecurityGroupEgressCommand,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { isAwsError } from '../awsErrorDetails';
import { IsolationGroupNotEmptyError } from '../errors';
import { findOrCreateSecurityGroup, hasTag } from './findOrCreateSecurityGroup';

/** The tag that marks isolation groups this tool created or adopted. */
export const ISOLATION_GROUP_TAG = { Key: 'cryptominer-defense:purpose', Value: 'isolation' } as const;

/** IpPermissions as RevokeSecurityGroupEgress takes them back (without the read-only rule ids). */
function asRevocable(permissions: readonly IpPermission[]): IpPermission[] {
  return permissions.map(({ IpProtocol, FromPort, ToPort, IpRanges, Ipv6Ranges, PrefixListIds, UserIdGroupPairs }) => ({
    IpProtocol,
    FromPort,
    ToPort,
    IpRanges,
    Ipv6Ranges,
    PrefixListIds,
    UserIdGroupPairs,
  }));
}

async function revokeEgress(ec2: EC2Client, groupId: string, egress: readonly IpPermission[]): Promise<void> {
  if (egress.length === 0) return;
  try {
    await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: asRevocable(egress) }));
  } catch (error) {
    // Another invocation (another instance of the same VPC) revoked it since we read the group: done.
    if (!isAwsError(error, 'InvalidPermission.NotFound')) throw error;
  }
}

async function tagAsIsolation(ec2: EC2Client, groupId: string, group: SecurityGroup): Promise<void> {
  if (!hasTag(group, ISOLATION_GROUP_TAG)) {
    await ec2.send(new CreateTagsCommand({ Resources: [groupId], Tags: [{ ...ISOLATION_GROUP_TAG }] }));
  }
}

/**
 * The isolation group of a VPC: no inbound and no outbound rule. Found by name, or created, tagged, and
 * its default allow-all egress rule revoked (domain.md §2: a new group lets everything out). A found group
 * with outbound rules has them revoked too (a previous run may have stopped halfway); one with inbound rules
 * is refused, because someone made it into something else.
 */
export async function findOrCreateIsolationGroup(ec2: EC2Client, vpcId: string, groupName: string): Promise<string> {
  const { group, groupId } = await findOrCreateSecurityGroup(
    ec2,
    vpcId,
    groupName,
    'Cryptominer Auto Defense isolation: no inbound, no outbound rules',
  );
  if ((group.IpPermissions ?? []).length > 0) {
    throw new IsolationGroupNotEmptyError(
      `Security group ${groupName} (${groupId}) in ${vpcId} has inbound rules: remove them or choose another ISOLATION_SG_NAME.`,
    );
  }
  // Emptying and tagging do not depend on each other: at once, they cost the first finding of a VPC one round
  // trip instead of two.
  await Promise.all([revokeEgress(ec2, groupId, group.IpPermissionsEgress ?? []), tagAsIsolation(ec2, groupId, group)]);
  return groupId;
}
