import {
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
} from '@aws-sdk/client-ec2';
import {
  type AccountClients,
  assumedRoleIdentity,
  type CloudTrailFake,
  iamUserIdentity,
  launchAutoScaledInstances,
  runInstancesRecord,
  seedIamRole,
  seedIamUser,
  seedInstanceProfile,
  seedNetwork,
  trustAccount,
} from '@cryptominer-defense/testing';

/** Who launched the target, as CloudTrail will say: freezing a user and freezing a role call different APIs. */
export type LauncherKind = 'user' | 'role';

/**
 * A target on which every response call happens: an instance in an Auto Scaling group, alone in a new VPC (so
 * the isolation group is created, tagged and emptied), with an instance profile (so its credentials are denied),
 * launched by a fresh IAM user or role (so freezing runs).
 */
export interface FaultMatrixTarget {
  readonly instanceId: string;
  readonly networkInterfaceIds: readonly string[];
  readonly autoScalingGroupName: string;
  readonly launcherName: string;
  readonly vpcId: string;
  /** The group the instance was launched with. */
  readonly applicationGroupId: string;
}

export async function prepareFaultMatrixTarget(
  clients: AccountClients,
  cloudTrail: CloudTrailFake,
  name: string,
  launcher: LauncherKind,
): Promise<FaultMatrixTarget> {
  const { ec2, autoScaling, iam, accountId, region } = clients;
  const network = await seedNetwork(ec2, region, { cidrBlock: '10.0.0.0/16', name });
  const [group] = await Promise.all([
    launchAutoScaledInstances(ec2, autoScaling, {
      name,
      subnetIds: network.subnetIds,
      securityGroupIds: [network.securityGroupId],
      desiredCapacity: 1,
    }),
    launcher === 'user'
      ? seedIamUser(iam, { userName: name, accessKeys: 1, loginProfile: true })
      : seedIamRole(iam, { roleName: name, trustPolicy: trustAccount(accountId) }),
  ]);
  const [instance] = group.instances;
  if (instance === undefined) throw new Error(`The Auto Scaling group ${name} launched no instance`);
  // An instance role, so that denying the instance's own credentials makes its calls too.
  await seedInstanceProfile(iam, ec2, { name: `${name}-app`, instanceIds: [instance.instanceId] });
  const identity =
    launcher === 'user'
      ? iamUserIdentity({ accountId, userName: name })
      : assumedRoleIdentity({ accountId, roleName: name, sessionName: 'deploy' });
  cloudTrail.addRecords(
    runInstancesRecord({
      identity,
      region,
      instanceIds: [instance.instanceId],
      eventTime: new Date(Date.now() - 60_000),
    }),
  );
  return {
    instanceId: instance.instanceId,
    networkInterfaceIds: instance.networkInterfaceIds,
    autoScalingGroupName: group.autoScalingGroupName,
    launcherName: name,
    vpcId: network.vpcId,
    applicationGroupId: network.securityGroupId,
  };
}

/**
 * The instance's state, and whether every one of its ENIs is on the isolation group alone. Read through the
 * `group-id` filter: moto lists an attached ENI's `Groups` with the instance's launch groups added (AWS does not),
 * but its filter reads the ENI's own groups, the state AWS would show.
 */
export async function instanceState(
  clients: AccountClients,
  target: FaultMatrixTarget,
): Promise<{ state: string; isolated: boolean }> {
  const { ec2 } = clients;
  const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [target.instanceId] }));
  const instance = described.Reservations?.[0]?.Instances?.[0];
  const interfaceIds = (instance?.NetworkInterfaces ?? []).flatMap((eni) => eni.NetworkInterfaceId ?? []);
  const isolationGroups = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [target.vpcId] },
        { Name: 'group-name', Values: ['CryptominerIsolationGroup'] },
      ],
    }),
  );
  const isolationGroupId = isolationGroups.SecurityGroups?.[0]?.GroupId;
  const onIsolation = isolationGroupId === undefined ? [] : await interfacesIn(clients, isolationGroupId);
  const onApplication = await interfacesIn(clients, target.applicationGroupId);
  return {
    state: instance?.State?.Name ?? 'missing',
    isolated:
      interfaceIds.length > 0 && interfaceIds.every((id) => onIsolation.includes(id) && !onApplication.includes(id)),
  };
}

async function interfacesIn(clients: AccountClients, groupId: string): Promise<string[]> {
  const described = await clients.ec2.send(
    new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }),
  );
  return (described.NetworkInterfaces ?? []).flatMap((eni) => eni.NetworkInterfaceId ?? []);
}
