import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  DescribeNetworkInterfacesCommand,
  type EC2Client,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { CONNECTION_CUT_GROUP_TAG, isAwsError } from '@cryptominer-defense/core';
import { findOrCreateSecurityGroup, type GroupLookupOptions } from './findOrCreateSecurityGroup';

/** The description of the all-open groups this tool creates (for people; the purpose tag is what identifies them). */
const CONNECTION_CUT_GROUP_DESCRIPTION =
  'Cryptominer Auto Defense: all-open, passed through for a moment to end tracked connections';

/** All traffic, from and to anywhere, IPv4 and IPv6: flows allowed this way are untracked (domain.md §2). */
export const ALL_TRAFFIC: IpPermission = {
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
 * with), or created (tagged in the same call); missing rules are added (a previous run may have stopped halfway),
 * but never while a network interface is on the group: a failed isolation falls back to emptying the group its
 * ENI is stuck on (closeConnectionCutGroup.ts), and reopening it would open that ENI again. Such a group is passed
 * over, and the next of its names is used.
 */
export async function findOrCreateConnectionCutGroup(
  ec2: EC2Client,
  vpcId: string,
  groupName: string,
  options: GroupLookupOptions = {},
): Promise<string> {
  const outcome = await findOrCreateSecurityGroup(ec2, vpcId, {
    name: groupName,
    description: CONNECTION_CUT_GROUP_DESCRIPTION,
    tag: CONNECTION_CUT_GROUP_TAG,
    lookedUp: options.lookedUp,
    passedOver: options.passedOver,
    usable: async (group) => {
      const missing = {
        ingress: missingAllTraffic(group.IpPermissions ?? []),
        egress: missingAllTraffic(group.IpPermissionsEgress ?? []),
      };
      if (missing.ingress === null && missing.egress === null) return null;
      if (await hasNetworkInterfaces(ec2, group.GroupId)) {
        return 'it lacks its all-traffic rules while network interfaces are on it (a failed isolation closed it): not reopened';
      }
      await addRules(ec2, group.GroupId, missing);
      return null;
    },
  });
  if (outcome.kind === 'created') {
    // A new group has no inbound rule and EC2's default egress (IPv4; IPv6 too in some VPCs: a duplicate is fine).
    await addRules(ec2, outcome.groupId, {
      ingress: ALL_TRAFFIC,
      egress: { IpProtocol: '-1', Ipv6Ranges: ALL_TRAFFIC.Ipv6Ranges },
    });
  }
  return outcome.groupId;
}

/** Whether any network interface has the group as one of its own (the `group-id` filter reads those). */
async function hasNetworkInterfaces(ec2: EC2Client, groupId: string): Promise<boolean> {
  const response = await ec2.send(
    new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }], MaxResults: 5 }),
  );
  return (response.NetworkInterfaces ?? []).length > 0;
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
