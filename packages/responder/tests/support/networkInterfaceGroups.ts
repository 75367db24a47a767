import { DescribeNetworkInterfacesCommand, DescribeSecurityGroupsCommand, type EC2Client } from '@aws-sdk/client-ec2';

/**
 * The ENIs that carry a security group, by the `group-id` filter. moto reports an attached ENI's `Groups` as
 * its own groups plus the groups the instance was launched with (AWS reports the ENI's own only), but its
 * `group-id` filter reads the ENI's own groups: that is the state AWS would show.
 */
export async function networkInterfacesInGroup(ec2: EC2Client, groupId: string): Promise<string[]> {
  const described = await ec2.send(
    new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }),
  );
  return (described.NetworkInterfaces ?? []).flatMap((eni) => eni.NetworkInterfaceId ?? []).sort();
}

/** The isolation groups of the account in this region, with their VPC and rules. */
export async function isolationGroups(ec2: EC2Client, groupName = 'CryptominerIsolationGroup') {
  const described = await ec2.send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [groupName] }] }),
  );
  return described.SecurityGroups ?? [];
}

/** Every ENI of the account in this region that is on an isolation group, sorted. */
export async function isolatedNetworkInterfaces(ec2: EC2Client): Promise<string[]> {
  const groups = await isolationGroups(ec2);
  const enis = await Promise.all(groups.map((group) => networkInterfacesInGroup(ec2, group.GroupId ?? '')));
  return enis.flat().sort();
}
