import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeNetworkInterfacesCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  GetRoleCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { attachedPolicyArns, clientConfigForAccount } from '@cryptominer-defense/testing';

/** What release must put back, read from the emulator: every comparison of the round trip. */
export interface AccountState {
  /** ENI id → its security group ids, sorted. */
  readonly networkInterfaceGroups: Record<string, string[]>;
  /** Group name → min/max/desired. */
  readonly autoScalingGroupSizes: Record<string, { min: number; max: number; desired: number }>;
  /** Access key id → Active/Inactive. */
  readonly accessKeys: Record<string, string>;
  /** Role name → trust policy (parsed JSON). */
  readonly trustPolicies: Record<string, unknown>;
  /** `user/<name>` or `role/<name>` → inline policy names, sorted. */
  readonly inlinePolicies: Record<string, string[]>;
  /** The managed policies attached to each user and role (`user/<name>`, `role/<name>`), by ARN. */
  readonly attachedPolicies: Record<string, string[]>;
}

/** Reads the state of one account and region (as its OrganizationAccountAccessRole, like the seeder). */
export async function readAccountState(endpoint: string, accountId: string, region: string): Promise<AccountState> {
  const config = await clientConfigForAccount(endpoint, accountId, { region });
  const ec2 = new EC2Client(config);
  const autoScaling = new AutoScalingClient(config);
  const iam = new IAMClient(config);
  try {
    // Each ENI's own groups, through the group-id filter: moto's `Groups` also lists the instance's launch
    // groups (AWS lists the ENI's own only), its filter reads the ENI's own (as the responder's tests do).
    const interfaces = await ec2.send(new DescribeNetworkInterfacesCommand({}));
    const networkInterfaceGroups: Record<string, string[]> = Object.fromEntries(
      (interfaces.NetworkInterfaces ?? []).map((eni) => [eni.NetworkInterfaceId ?? '', [] as string[]]),
    );
    for (const group of (await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? []) {
      const groupId = group.GroupId ?? '';
      const members = await ec2.send(
        new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }),
      );
      for (const eni of members.NetworkInterfaces ?? [])
        networkInterfaceGroups[eni.NetworkInterfaceId ?? '']?.push(groupId);
    }
    for (const groups of Object.values(networkInterfaceGroups)) groups.sort();
    const groups = await autoScaling.send(new DescribeAutoScalingGroupsCommand({}));
    const autoScalingGroupSizes = Object.fromEntries(
      (groups.AutoScalingGroups ?? []).map((group) => [
        group.AutoScalingGroupName ?? '',
        { min: group.MinSize ?? -1, max: group.MaxSize ?? -1, desired: group.DesiredCapacity ?? -1 },
      ]),
    );
    const accessKeys: Record<string, string> = {};
    const inlinePolicies: Record<string, string[]> = {};
    const attachedPolicies: Record<string, string[]> = {};
    for (const user of (await iam.send(new ListUsersCommand({}))).Users ?? []) {
      const userName = user.UserName ?? '';
      for (const key of (await iam.send(new ListAccessKeysCommand({ UserName: userName }))).AccessKeyMetadata ?? []) {
        accessKeys[key.AccessKeyId ?? ''] = key.Status ?? '';
      }
      const policies = await iam.send(new ListUserPoliciesCommand({ UserName: userName }));
      inlinePolicies[`user/${userName}`] = [...(policies.PolicyNames ?? [])].sort();
      attachedPolicies[`user/${userName}`] = (await attachedPolicyArns(iam, { userName })).sort();
    }
    const trustPolicies: Record<string, unknown> = {};
    for (const role of (await iam.send(new ListRolesCommand({}))).Roles ?? []) {
      const roleName = role.RoleName ?? '';
      const read = await iam.send(new GetRoleCommand({ RoleName: roleName }));
      trustPolicies[roleName] = JSON.parse(decodeURIComponent(read.Role?.AssumeRolePolicyDocument ?? 'null'));
      const policies = await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }));
      inlinePolicies[`role/${roleName}`] = [...(policies.PolicyNames ?? [])].sort();
      attachedPolicies[`role/${roleName}`] = (await attachedPolicyArns(iam, { roleName })).sort();
    }
    return {
      networkInterfaceGroups,
      autoScalingGroupSizes,
      accessKeys,
      trustPolicies,
      inlinePolicies,
      attachedPolicies,
    };
  } finally {
    ec2.destroy();
    autoScaling.destroy();
    iam.destroy();
  }
}
