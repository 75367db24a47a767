import { type EC2Client, type IpPermission, RevokeSecurityGroupEgressCommand } from '@aws-sdk/client-ec2';
import { ISOLATION_GROUP_TAG, isAwsError } from '@cryptominer-defense/core';
import {
  describeCandidateGroups,
  type FoundSecurityGroup,
  findOrCreateSecurityGroup,
  type GroupLookupOptions,
} from './findOrCreateSecurityGroup';

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

/** What EC2 gives a new group: all traffic out to IPv4 always; to IPv6 too in some VPCs. */
const DEFAULT_IPV4_EGRESS: IpPermission = { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
const DEFAULT_IPV6_EGRESS: IpPermission = { IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] };

/** Revokes one rule; false when the group does not have it (InvalidPermission.NotFound). */
async function revokeIfThere(ec2: EC2Client, groupId: string, rule: IpPermission): Promise<boolean> {
  try {
    await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: [rule] }));
    return true;
  } catch (error) {
    if (!isAwsError(error, 'InvalidPermission.NotFound')) throw error;
    return false;
  }
}

/**
 * Empties the egress of a group this call created, without reading it first: the IPv4 and the IPv6 default rules
 * are revoked by value, in two requests at once (outside a default VPC, EC2 refuses a whole request naming a rule
 * the group lacks, and an IPv4-only VPC's group has no IPv6 rule). A new group without the IPv4 rule is not what
 * EC2 creates: then the group is read and what it really has is revoked.
 */
async function revokeDefaultEgress(ec2: EC2Client, vpcId: string, created: FoundSecurityGroup): Promise<void> {
  const [ipv4Revoked] = await Promise.all([
    revokeIfThere(ec2, created.groupId, DEFAULT_IPV4_EGRESS),
    revokeIfThere(ec2, created.groupId, DEFAULT_IPV6_EGRESS),
  ]);
  if (ipv4Revoked) return;
  const groups = await describeCandidateGroups(ec2, vpcId, created.name);
  const group = groups.find((candidate) => candidate.GroupId === created.groupId);
  await revokeEgress(ec2, created.groupId, group?.IpPermissionsEgress ?? []);
}

/**
 * The isolation group of a VPC: no inbound and no outbound rule. Found by name, or created (tagged in the same
 * call) and its default allow-all egress revoked (domain.md §2: a new group lets everything out). A found group
 * with outbound rules has them revoked too (a previous run may have stopped halfway); one with inbound rules
 * (which the tool cannot take away) is passed over like a group someone else created, and the next of its names
 * is used (findOrCreateSecurityGroup.ts): a squatted or altered group never blocks isolation.
 */
export async function findOrCreateIsolationGroup(
  ec2: EC2Client,
  vpcId: string,
  groupName: string,
  options: GroupLookupOptions = {},
): Promise<string> {
  const outcome = await findOrCreateSecurityGroup(ec2, vpcId, {
    name: groupName,
    description: 'Cryptominer Auto Defense isolation: no inbound, no outbound rules',
    tag: ISOLATION_GROUP_TAG,
    lookedUp: options.lookedUp,
    passedOver: options.passedOver,
    usable: async (group) => {
      if ((group.IpPermissions ?? []).length > 0) return 'it has inbound rules someone added: not used';
      await revokeEgress(ec2, group.GroupId, group.IpPermissionsEgress ?? []);
      return null;
    },
  });
  if (outcome.kind === 'created') await revokeDefaultEgress(ec2, vpcId, outcome);
  return outcome.groupId;
}
