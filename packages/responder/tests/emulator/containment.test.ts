import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { GetLoginProfileCommand, GetRoleCommand, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import {
  AWS_DENY_ALL_ARN,
  assumedRoleIdentity,
  attachedPolicyArns,
  autoScalingServiceIdentity,
  guardDutyFindingEvent,
  iamUserIdentity,
  instanceFindingTargetOf,
  rootIdentity,
  runInstancesRecord,
} from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolationGroups, networkInterfacesInGroup } from '../support/networkInterfaceGroups';
import { reported } from '../support/reported';
import { type ResponderWorld, startResponderWorld } from '../support/responderWorld';

let world: ResponderWorld;

beforeAll(async () => {
  world = await startResponderWorld(emulatorEndpoint());
}, 120_000);

afterAll(async () => {
  await world?.close();
});

async function instanceState(ec2: EC2Client, instanceId: string): Promise<string | undefined> {
  const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  return described.Reservations?.[0]?.Instances?.[0]?.State?.Name;
}

describe('containment against the emulator', () => {
  it('takes an Auto Scaling instance out of its group, scales the group to 0, isolates and stops it, keeping it', async () => {
    // Prepare
    const member = world.organization.member('workload-a');
    const region = 'us-east-1';
    const seeded = member.inRegion(region).autoScalingGroup;
    const [target, sibling] = seeded.instances;
    if (target === undefined || sibling === undefined) throw new Error('the seeder launched fewer than 2 instances');
    const clients = await world.clientsOf(member.accountId, region);
    world.cloudTrail.addRecords(
      runInstancesRecord({
        identity: autoScalingServiceIdentity({ accountId: member.accountId }),
        region,
        instanceIds: [target.instanceId],
        autoScalingGroupName: seeded.autoScalingGroupName,
        launchTemplateId: seeded.launchTemplateId,
      }),
    );
    const event = guardDutyFindingEvent({
      accountId: member.accountId,
      region,
      adminAccountId: world.organization.centralAccountId,
      ...(await instanceFindingTargetOf(clients.ec2, target.instanceId)),
    });

    // Act
    const handled = reported(await world.createResponder().handle(event));

    // Assess
    const report = await world.readReport(handled.key);
    const groups = await clients.autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [seeded.autoScalingGroupName] }),
    );
    const group = groups.AutoScalingGroups?.[0];
    expect(group).toMatchObject({ MinSize: 0, MaxSize: 0, DesiredCapacity: 0 });
    expect((group?.Instances ?? []).map((instance) => instance.InstanceId)).not.toContain(target.instanceId);
    expect(await instanceState(clients.ec2, target.instanceId)).toBe('stopped');
    const [isolationGroup, ...others] = await isolationGroups(clients.ec2);
    expect(others).toEqual([]);
    expect(await networkInterfacesInGroup(clients.ec2, isolationGroup?.GroupId ?? '')).toEqual(
      target.networkInterfaceIds,
    );
    expect(
      await networkInterfacesInGroup(clients.ec2, member.inRegion(region).primaryNetwork.securityGroupId),
    ).not.toContain(target.networkInterfaceIds[0]);
    expect(report.undo.autoScalingGroup).toEqual({
      autoScalingGroupName: seeded.autoScalingGroupName,
      detachedInstanceId: target.instanceId,
      previousMinSize: seeded.minSize,
      previousMaxSize: seeded.maxSize,
      previousDesiredCapacity: seeded.desiredCapacity,
    });
    expect(report.response).toEqual({
      asgDisabled: true,
      networkIsolated: true,
      instanceStopped: true,
      actorFrozen: false,
      rootInvolved: false,
      manualInterventionRequired: true,
    });
    expect(report.actor).toMatchObject({ type: 'AWSService', invokedBy: 'autoscaling.amazonaws.com' });
    expect(report.manualInterventionReasons).toEqual([expect.stringContaining('AWS service launched the instance')]);
    // The group's other instance goes with the scale-down, as in AWS; the compromised one stays.
    expect(['shutting-down', 'terminated']).toContain(await instanceState(clients.ec2, sibling.instanceId));
  });

  it('isolates every ENI of a 3-ENI instance (and no other instance), with a group that has no rules, and freezes the IAM user', async () => {
    // Prepare
    const member = world.organization.member('workload-a');
    const region = 'us-east-1';
    const layout = member.inRegion(region);
    const target = layout.multiEniInstance;
    const developer = member.identities.developer;
    const clients = await world.clientsOf(member.accountId, region);
    world.cloudTrail.addRecords(
      runInstancesRecord({
        identity: iamUserIdentity({ accountId: member.accountId, userName: developer.userName }),
        region,
        instanceIds: [target.instanceId],
        sourceIPAddress: '198.51.100.42',
      }),
    );
    const event = guardDutyFindingEvent({
      accountId: member.accountId,
      region,
      ...(await instanceFindingTargetOf(clients.ec2, target.instanceId)),
    });

    // Act
    const handled = reported(await world.createResponder().handle(event));

    // Assess
    const report = await world.readReport(handled.key);
    const isolationGroup = (await isolationGroups(clients.ec2)).find(
      (group) => group.VpcId === layout.primaryNetwork.vpcId,
    );
    expect(isolationGroup?.IpPermissions).toEqual([]);
    expect(isolationGroup?.IpPermissionsEgress).toEqual([]);
    expect(isolationGroup?.Tags).toContainEqual({ Key: 'cryptominer-defense:purpose', Value: 'isolation' });
    const isolated = await networkInterfacesInGroup(clients.ec2, isolationGroup?.GroupId ?? '');
    expect(target.networkInterfaceIds).toHaveLength(3);
    for (const eni of target.networkInterfaceIds) expect(isolated).toContain(eni);
    expect(isolated).not.toContain(layout.standaloneInstance.networkInterfaceIds[0]);
    expect(await instanceState(clients.ec2, target.instanceId)).toBe('stopped');
    expect(await instanceState(clients.ec2, layout.standaloneInstance.instanceId)).toBe('running');
    expect(report.undo.networkInterfaces.map((eni) => eni.networkInterfaceId).sort()).toEqual(
      [...target.networkInterfaceIds].sort(),
    );

    const keys = await clients.iam.send(new ListAccessKeysCommand({ UserName: developer.userName }));
    expect(keys.AccessKeyMetadata?.map((key) => key.Status)).toEqual(['Inactive', 'Inactive']);
    await expect(clients.iam.send(new GetLoginProfileCommand({ UserName: developer.userName }))).rejects.toThrow(
      expect.objectContaining({ name: 'NoSuchEntityException' }),
    );
    expect(await attachedPolicyArns(clients.iam, developer)).toEqual([AWS_DENY_ALL_ARN]);
    const deactivated = [...(report.undo.user?.deactivatedAccessKeyIds ?? [])].sort();
    expect({ ...report.undo.user, deactivatedAccessKeyIds: deactivated }).toEqual({
      userArn: developer.arn,
      loginProfileDeleted: true,
      deactivatedAccessKeyIds: [...developer.accessKeyIds].sort(),
      denyPolicyName: null,
      deniedByPolicyArn: AWS_DENY_ALL_ARN,
    });
    expect(report.actor).toMatchObject({ type: 'IAMUser', arn: developer.arn, sourceIp: '198.51.100.42' });
    expect(report.response).toEqual({
      asgDisabled: false,
      networkIsolated: true,
      instanceStopped: true,
      actorFrozen: true,
      rootInvolved: false,
      manualInterventionRequired: false,
    });
  });

  it("isolates two instances in two VPCs of one account, each onto its own VPC's group, and freezes the role", async () => {
    // Prepare
    const member = world.organization.member('workload-b');
    const region = 'us-east-1';
    const layout = member.inRegion(region);
    const role = member.identities.appDeployRole;
    const clients = await world.clientsOf(member.accountId, region);
    const targets = [layout.standaloneInstance, layout.secondVpcInstance];
    world.cloudTrail.addRecords(
      runInstancesRecord({
        identity: assumedRoleIdentity({ accountId: member.accountId, roleName: role.roleName, sessionName: 'mallory' }),
        region,
        instanceIds: targets.map((instance) => instance.instanceId),
      }),
    );
    const responder = world.createResponder();

    // Act
    const handled = [];
    for (const target of targets) {
      const event = guardDutyFindingEvent({
        accountId: member.accountId,
        region,
        ...(await instanceFindingTargetOf(clients.ec2, target.instanceId)),
      });
      handled.push(reported(await responder.handle(event)));
    }

    // Assess
    const groups = await isolationGroups(clients.ec2);
    expect(groups.map((group) => group.VpcId).sort()).toEqual(
      [layout.primaryNetwork.vpcId, layout.secondaryNetwork.vpcId].sort(),
    );
    for (const [index, target] of targets.entries()) {
      const vpcId = index === 0 ? layout.primaryNetwork.vpcId : layout.secondaryNetwork.vpcId;
      const group = groups.find((candidate) => candidate.VpcId === vpcId);
      expect(await networkInterfacesInGroup(clients.ec2, group?.GroupId ?? '')).toEqual(target.networkInterfaceIds);
      expect(await instanceState(clients.ec2, target.instanceId)).toBe('stopped');
    }
    // Frozen by AWSDenyAll alone (every session of the role, live ones too); its trust policy is untouched.
    expect(await attachedPolicyArns(clients.iam, role)).toEqual([AWS_DENY_ALL_ARN]);
    const trusted = await clients.iam.send(new GetRoleCommand({ RoleName: role.roleName }));
    expect(JSON.parse(decodeURIComponent(trusted.Role?.AssumeRolePolicyDocument ?? ''))).toEqual(role.trustPolicy);

    const [first, second] = await Promise.all(handled.map((outcome) => world.readReport(outcome.key)));
    expect(first?.actor).toMatchObject({ type: 'AssumedRole', principalArn: role.arn });
    expect(first?.undo.role).toEqual({
      roleArn: role.arn,
      originalTrustPolicy: null,
      trustPolicyReplaced: false,
      revokeSessionsPolicyName: null,
      deniedByPolicyArn: AWS_DENY_ALL_ARN,
    });
    expect(first?.response).toMatchObject({ networkIsolated: true, instanceStopped: true, actorFrozen: true });
    // The first finding followed the session (its access key) to the second instance and contained it as a linked
    // incident (decision 0023); that one finds the role already frozen: the flag holds, and release would not take
    // off a policy this response did not attach. The second instance's own finding is answered by it.
    const linked = await world.readReport(
      reported(handled[0]?.derived?.[0] ?? { kind: 'ignored', reason: 'no linked incident' }).key,
    );
    expect(linked).toMatchObject({
      instanceId: targets[1]?.instanceId,
      findingId: expect.stringContaining('/linked/'),
    });
    expect(linked.response).toMatchObject({ networkIsolated: true, instanceStopped: true, actorFrozen: true });
    expect(linked.steps).toContainEqual(
      expect.objectContaining({ action: 'attachDenyAllPolicy', status: 'already-done' }),
    );
    expect(linked.undo.role?.deniedByPolicyArn).toBeNull();
    expect(second?.disposition).toBe('answered-elsewhere');
    expect(second?.dispositionReason).toContain(`finding ${linked.findingId}`);
  });

  it("acts in the finding's region (a second region) and flags root for a person", async () => {
    // Prepare
    const member = world.organization.member('workload-a');
    const region = 'eu-west-1';
    const layout = member.inRegion(region);
    const target = layout.standaloneInstance;
    const clients = await world.clientsOf(member.accountId, region);
    const homeClients = await world.clientsOf(member.accountId, 'us-east-1');
    world.cloudTrail.addRecords(
      runInstancesRecord({
        identity: rootIdentity({ accountId: member.accountId }),
        region,
        instanceIds: [target.instanceId],
      }),
    );
    const event = guardDutyFindingEvent({
      accountId: member.accountId,
      region,
      ...(await instanceFindingTargetOf(clients.ec2, target.instanceId)),
    });

    // Act
    const handled = reported(await world.createResponder().handle(event));

    // Assess
    const report = await world.readReport(handled.key);
    expect(handled.key).toMatch(
      new RegExp(
        `^incidents/${member.accountId}/eu-west-1/\\d{4}/\\d{2}/\\d{2}/${target.instanceId}-\\d+-${handled.report.findingId}\\.json$`,
      ),
    );
    const [group] = await isolationGroups(clients.ec2);
    expect(await networkInterfacesInGroup(clients.ec2, group?.GroupId ?? '')).toEqual(target.networkInterfaceIds);
    expect(await instanceState(clients.ec2, target.instanceId)).toBe('stopped');
    expect(await instanceState(homeClients.ec2, member.inRegion('us-east-1').standaloneInstance.instanceId)).toBe(
      'running',
    );
    expect(report.region).toBe('eu-west-1');
    expect(report.actor).toMatchObject({ type: 'Root', arn: `arn:aws:iam::${member.accountId}:root` });
    expect(report.response).toEqual({
      asgDisabled: false,
      networkIsolated: true,
      instanceStopped: true,
      actorFrozen: false,
      rootInvolved: true,
      manualInterventionRequired: true,
    });
  });
});
