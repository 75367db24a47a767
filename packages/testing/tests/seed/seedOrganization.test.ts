import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetLoginProfileCommand, GetRoleCommand, IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import {
  ListAccountsForParentCommand,
  ListDelegatedAdministratorsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { beforeAll, describe, expect, it } from 'vitest';
import { clientConfigForAccount, credentialsForAccount } from '../../src/emulator/credentialsForAccount';
import { emulatorClientConfig } from '../../src/emulator/emulatorClientConfig';
import { type SeededOrganization, seedOrganization } from '../../src/seed/seedOrganization';
import { emulatorEndpoint } from '../../src/vitest/emulatorEndpoint';

async function instanceIdsVisibleTo(config: ReturnType<typeof emulatorClientConfig>): Promise<string[]> {
  const ec2 = new EC2Client(config);
  const described = await ec2.send(new DescribeInstancesCommand({}));
  return (described.Reservations ?? []).flatMap((r) => r.Instances ?? []).flatMap((i) => i.InstanceId ?? []);
}

describe('seedOrganization', () => {
  let endpoint: string;
  let org: SeededOrganization;

  beforeAll(async () => {
    endpoint = emulatorEndpoint();
    org = await seedOrganization(endpoint);
  });

  it('puts the security account and the members into their OUs and makes security the GuardDuty delegated admin', async () => {
    // Prepare
    const organizations = new OrganizationsClient(emulatorClientConfig(endpoint));
    const accountsIn = async (ou: string) =>
      (
        await organizations.send(new ListAccountsForParentCommand({ ParentId: org.organizationalUnits[ou] }))
      ).Accounts?.map((account) => [account.Id, account.Status]);

    // Act
    const [security, workloads, sandbox, admins] = await Promise.all([
      accountsIn('Security'),
      accountsIn('Workloads'),
      accountsIn('Sandbox'),
      organizations.send(new ListDelegatedAdministratorsCommand({ ServicePrincipal: 'guardduty.amazonaws.com' })),
    ]);

    // Assess
    expect(security).toEqual([[org.centralAccountId, 'ACTIVE']]);
    expect(workloads).toEqual([[org.member('workload-a').accountId, 'ACTIVE']]);
    expect(sandbox).toEqual([[org.member('workload-b').accountId, 'ACTIVE']]);
    expect(admins.DelegatedAdministrators?.map((admin) => admin.Id)).toEqual([org.centralAccountId]);
    expect(new Set([org.managementAccountId, org.centralAccountId, ...org.members.map((m) => m.accountId)]).size).toBe(
      4,
    );
  });

  it("lets the central account assume a member's responder role and see that member's instances, not another's", async () => {
    // Prepare
    const memberA = org.member('workload-a');
    const memberB = org.member('workload-b');
    const central = await credentialsForAccount(endpoint, org.centralAccountId);
    const asResponderIn = (accountId: string) =>
      clientConfigForAccount(endpoint, accountId, { roleName: 'CryptominerResponderRole', callerCredentials: central });
    const seededIds = (member: typeof memberA) => {
      const region = member.inRegion('us-east-1');
      return [
        region.standaloneInstance.instanceId,
        region.multiEniInstance.instanceId,
        region.secondVpcInstance.instanceId,
        ...region.autoScalingGroup.instances.map((instance) => instance.instanceId),
      ];
    };

    // Act
    const [configA, configB] = await Promise.all([asResponderIn(memberA.accountId), asResponderIn(memberB.accountId)]);
    const [identityA, seenByA, seenByB] = await Promise.all([
      new STSClient(configA).send(new GetCallerIdentityCommand({})),
      instanceIdsVisibleTo(configA),
      instanceIdsVisibleTo(configB),
    ]);

    // Assess
    expect(identityA.Account).toBe(memberA.accountId);
    expect(identityA.Arn).toMatch(/:assumed-role\/CryptominerResponderRole\//);
    expect(seenByA.sort()).toEqual(seededIds(memberA).sort());
    expect(seenByB.sort()).toEqual(seededIds(memberB).sort());
    expect(seenByA.some((id) => seenByB.includes(id))).toBe(false);
  });

  it('keeps each region apart: the second region holds its own instances', async () => {
    // Prepare
    const member = org.member('workload-a');
    const config = await clientConfigForAccount(endpoint, member.accountId, { region: 'eu-west-1' });

    // Act
    const seen = await instanceIdsVisibleTo(config);

    // Assess
    expect(seen).toContain(member.inRegion('eu-west-1').standaloneInstance.instanceId);
    expect(seen).not.toContain(member.inRegion('us-east-1').standaloneInstance.instanceId);
  });

  it('creates security groups the way AWS does: with the default allow-all egress rule', async () => {
    // Prepare
    const member = org.member('workload-a');
    const region = member.inRegion('us-east-1');
    const ec2 = new EC2Client(await clientConfigForAccount(endpoint, member.accountId));

    // Act
    const groups = await ec2.send(
      new DescribeSecurityGroupsCommand({ GroupIds: [region.primaryNetwork.securityGroupId] }),
    );

    // Assess
    const group = groups.SecurityGroups?.[0];
    expect(group?.VpcId).toBe(region.primaryNetwork.vpcId);
    expect(group?.IpPermissions).toEqual([]);
    expect(group?.IpPermissionsEgress).toEqual([
      expect.objectContaining({ IpProtocol: '-1', IpRanges: [expect.objectContaining({ CidrIp: '0.0.0.0/0' })] }),
    ]);
  });

  it('attaches three ENIs to the multi-ENI instance and puts the other instances in their own VPCs', async () => {
    // Prepare
    const member = org.member('workload-b');
    const region = member.inRegion('eu-west-1');
    const ec2 = new EC2Client(await clientConfigForAccount(endpoint, member.accountId, { region: 'eu-west-1' }));

    // Act
    const described = await ec2.send(
      new DescribeInstancesCommand({
        InstanceIds: [region.multiEniInstance.instanceId, region.secondVpcInstance.instanceId],
      }),
    );

    // Assess
    const instances = (described.Reservations ?? []).flatMap((r) => r.Instances ?? []);
    const multiEni = instances.find((i) => i.InstanceId === region.multiEniInstance.instanceId);
    const secondVpc = instances.find((i) => i.InstanceId === region.secondVpcInstance.instanceId);
    expect(multiEni?.NetworkInterfaces?.map((eni) => eni.NetworkInterfaceId).sort()).toEqual(
      [...region.multiEniInstance.networkInterfaceIds].sort(),
    );
    expect(region.multiEniInstance.networkInterfaceIds).toHaveLength(3);
    expect(multiEni?.VpcId).toBe(region.primaryNetwork.vpcId);
    expect(secondVpc?.VpcId).toBe(region.secondaryNetwork.vpcId);
  });

  it('launches Auto Scaling instances from a launch template, tagged with their group', async () => {
    // Prepare
    const member = org.member('workload-a');
    const seeded = member.inRegion('us-east-1').autoScalingGroup;
    const config = await clientConfigForAccount(endpoint, member.accountId);

    // Act
    const [groups, described] = await Promise.all([
      new AutoScalingClient(config).send(
        new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [seeded.autoScalingGroupName] }),
      ),
      new EC2Client(config).send(
        new DescribeInstancesCommand({ InstanceIds: seeded.instances.map((instance) => instance.instanceId) }),
      ),
    ]);

    // Assess
    const group = groups.AutoScalingGroups?.[0];
    expect(group?.DesiredCapacity).toBe(2);
    expect(group?.LaunchTemplate?.LaunchTemplateId).toBe(seeded.launchTemplateId);
    const instances = (described.Reservations ?? []).flatMap((r) => r.Instances ?? []);
    expect(instances).toHaveLength(2);
    for (const instance of instances) {
      expect(instance.Tags).toContainEqual({ Key: 'aws:autoscaling:groupName', Value: seeded.autoScalingGroupName });
    }
  });

  it('gives each member IAM users with active keys and a console password, and roles with trust policies', async () => {
    // Prepare
    const member = org.member('workload-b');
    const iam = new IAMClient(await clientConfigForAccount(endpoint, member.accountId));
    const { developer, ciDeployer, responderRole } = member.identities;

    // Act
    const [developerKeys, developerLogin, ciLogin, role, organizationRole] = await Promise.all([
      iam.send(new ListAccessKeysCommand({ UserName: developer.userName })),
      iam.send(new GetLoginProfileCommand({ UserName: developer.userName })),
      iam.send(new GetLoginProfileCommand({ UserName: ciDeployer.userName })).catch((error: Error) => error.name),
      iam.send(new GetRoleCommand({ RoleName: responderRole.roleName })),
      iam.send(new GetRoleCommand({ RoleName: 'OrganizationAccountAccessRole' })),
    ]);

    // Assess
    expect(developerKeys.AccessKeyMetadata?.map((key) => [key.AccessKeyId, key.Status])).toEqual(
      developer.accessKeyIds.map((id) => [id, 'Active']),
    );
    expect(developerLogin.LoginProfile?.UserName).toBe('developer');
    expect(ciLogin).toBe('NoSuchEntityException');
    expect(JSON.parse(decodeURIComponent(role.Role?.AssumeRolePolicyDocument ?? '{}'))).toEqual(
      responderRole.trustPolicy,
    );
    // Organizations creates this role in every account it creates, as AWS does: a protected principal.
    expect(organizationRole.Role?.Arn).toBe(`arn:aws:iam::${member.accountId}:role/OrganizationAccountAccessRole`);
    expect(responderRole.trustPolicy.Statement[0]).toMatchObject({
      Principal: { AWS: `arn:aws:iam::${org.centralAccountId}:root` },
    });
  });

  it('refuses to seed a second organization into the same emulator, naming the fix', async () => {
    // Act
    const second = seedOrganization(endpoint);

    // Assess
    await expect(second).rejects.toThrow(
      'The emulator already holds an organization: seed once per test file, or call resetEmulator(endpoint) first.',
    );
  });
});
