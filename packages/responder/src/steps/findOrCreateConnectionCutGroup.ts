import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  type EC2Client,
  type IpPermission,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { CONNECTION_CUT_GROUP_TAG, isAwsError } from '@cryptominer-defense/core';
import { ResponderError } from '../errors';
import { findOrCreateSecurityGroup, hasTag } from './findOrCreateSecurityGroup';

/** The description of the all-open groups this tool creates (for people; the purpose tag is what identifies them). */
const CONNECTION_CUT_GROUP_DESCRIPTION =
  'Cryptominer Auto Defense: all-open, passed through for a moment to end tracked connections';

/** All traffic, from and to anywhere, IPv4 and IPv6: flows allowed this way are untracked (domain.md §2). */
const ALL_TRAFFIC: IpPermission = {
  IpProtocol: '-1',
  IpRanges: [{ CidrIp: '0.0.0.0/0' }],
  Ipv6Ranges: [{ CidrIpv6: '::/0' }],
};

/** The parts of ALL_TRAFFIC that the rules lack (IPv4 and IPv6 are checked separately). */
function missingAllTraffic(rules: readonly IpPermission[]): IpPermission | null {
  const allProtocols = rules.filter((rule) => rule.IpProtocol === '-1');
  const hasIpv4 = allProtocols.some((rule) => rule.IpRanges?.some((range) => range.CidrIp === '0.0.0.0/0'));
  const hasIpv6 = allProtocols.some((rule) => rule.Ipv6Ranges?.some((range) => range.CidrIpv6 === '::/0'));
  if (hasIpv4 && hasIpv6) return null;
  return {
    IpProtocol: '-1',
    ...(hasIpv4 ? {} : { IpRanges: ALL_TRAFFIC.IpRanges }),
    ...(hasIpv6 ? {} : { Ipv6Ranges: ALL_TRAFFIC.Ipv6Ranges }),
  };
}

/** Another invocation (another instance of the same VPC) added the rule since we read the group: done. */
function alreadyAuthorized(error: unknown): void {
  if (!isAwsError(error, 'InvalidPermission.Duplicate')) throw error;
}

/**
 * The all-open group of a VPC: all traffic in and out, IPv4 and IPv6. An ENI passes through it on its way to
 * the isolation group: its connections become untracked, so they end the moment the ENI leaves it (a direct
 * swap leaves established, tracked connections alive). Found by name (used only with the purpose tag it was created
 * with), or created (tagged in the same call); missing rules are added (a previous run may have stopped halfway).
 */
export async function findOrCreateConnectionCutGroup(
  ec2: EC2Client,
  vpcId: string,
  groupName: string,
  lookedUp?: Promise<SecurityGroup | undefined>,
): Promise<string> {
  const outcome = await findOrCreateSecurityGroup(ec2, vpcId, {
    name: groupName,
    description: CONNECTION_CUT_GROUP_DESCRIPTION,
    tag: CONNECTION_CUT_GROUP_TAG,
    lookedUp,
  });
  const { groupId } = outcome;
  if (outcome.kind === 'created') {
    // A new group has no inbound rule and EC2's default egress (IPv4; IPv6 too in some VPCs: a duplicate is fine).
    await addRules(ec2, groupId, {
      ingress: ALL_TRAFFIC,
      egress: { IpProtocol: '-1', Ipv6Ranges: ALL_TRAFFIC.Ipv6Ranges },
    });
    return groupId;
  }
  const { group } = outcome;
  // Opening someone else's group to the world (CONNECTION_CUT_SG_NAME=default, say) would be a disaster: only a
  // group that got the purpose tag when it was created (the member role allows it nowhere else) is one of its own.
  if (!hasTag(group, CONNECTION_CUT_GROUP_TAG)) {
    throw new ResponderError(
      `Security group ${groupName} (${groupId}) in ${vpcId} was not created by this tool (no ${CONNECTION_CUT_GROUP_TAG.Key}=${CONNECTION_CUT_GROUP_TAG.Value} tag): it is not opened to all traffic. Choose another CONNECTION_CUT_SG_NAME.`,
    );
  }
  await addRules(ec2, groupId, {
    ingress: missingAllTraffic(group.IpPermissions ?? []),
    egress: missingAllTraffic(group.IpPermissionsEgress ?? []),
  });
  return groupId;
}

/** Adds the rules at once; one that another invocation added meanwhile is not an error. */
async function addRules(
  ec2: EC2Client,
  groupId: string,
  rules: { readonly ingress: IpPermission | null; readonly egress: IpPermission | null },
): Promise<void> {
  await Promise.all([
    rules.ingress === null
      ? undefined
      : ec2
          .send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [rules.ingress] }))
          .catch(alreadyAuthorized),
    rules.egress === null
      ? undefined
      : ec2
          .send(new AuthorizeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: [rules.egress] }))
          .catch(alreadyAuthorized),
  ]);
}
