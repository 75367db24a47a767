import { randomBytes } from 'node:crypto';
import {
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand,
  type EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  AWS_DENY_ALL_ARN,
  assumedRoleIdentity,
  attachedPolicyArns,
  autoScalingServiceIdentity,
  createAutoScalingGroupRecord,
  createLaunchTemplateVersionRecord,
  EMULATOR_IMAGE_ID,
  guardDutyFindingEvent,
  iamUserIdentity,
  instanceFindingTargetOf,
  runInstancesRecord,
} from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorFaults } from '../support/emulatorFaults';
import { isolationGroups, networkInterfacesInGroup } from '../support/networkInterfaceGroups';
import { reported } from '../support/reported';
import { type ResponderWorld, startResponderWorld } from '../support/responderWorld';

let world: ResponderWorld;
const region = 'us-east-1';

beforeAll(async () => {
  world = await startResponderWorld(emulatorEndpoint(), { regions: [region] });
}, 120_000);

afterAll(async () => {
  await world?.close();
});

async function describeInstance(ec2: EC2Client, instanceId: string) {
  const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  const instance = described.Reservations?.[0]?.Instances?.[0];
  if (instance === undefined) throw new Error(`${instanceId} is gone`);
  return instance;
}

/** A new instance in workload-b's first subnet (hibernation configured or not), with the clients of its account. */
async function launchInstance(options: { readonly hibernation: boolean }) {
  const member = world.organization.member('workload-b');
  const clients = await world.clientsOf(member.accountId, region);
  const launched = await clients.ec2.send(
    new RunInstancesCommand({
      ImageId: EMULATOR_IMAGE_ID,
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      SubnetId: member.inRegion(region).primaryNetwork.subnetIds[0],
      ...(options.hibernation ? { HibernationOptions: { Configured: true } } : {}),
    }),
  );
  return { member, clients, instanceId: launched.Instances?.[0]?.InstanceId ?? '' };
}

describe('cutting live connections', () => {
  it('moves every ENI onto an all-open group (IPv4 and IPv6, both ways), then onto the no-rule group, recording both moves', async () => {
    // Prepare
    const member = world.organization.member('workload-a');
    const layout = member.inRegion(region);
    const target = layout.multiEniInstance;
    const clients = await world.clientsOf(member.accountId, region);
    const event = guardDutyFindingEvent({
      accountId: member.accountId,
      region,
      ...(await instanceFindingTargetOf(clients.ec2, target.instanceId)),
    });

    // Act
    const handled = reported(await world.createResponder().handle(event));

    // Assess
    const report = await world.readReport(handled.key);
    const openGroups = await clients.ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'group-name', Values: ['CryptominerConnectionCutGroup'] },
          { Name: 'vpc-id', Values: [layout.primaryNetwork.vpcId] },
        ],
      }),
    );
    const [open, ...others] = openGroups.SecurityGroups ?? [];
    expect(others).toEqual([]);
    for (const rules of [open?.IpPermissions, open?.IpPermissionsEgress]) {
      expect(rules).toContainEqual(
        expect.objectContaining({
          IpProtocol: '-1',
          IpRanges: [expect.objectContaining({ CidrIp: '0.0.0.0/0' })],
          Ipv6Ranges: [expect.objectContaining({ CidrIpv6: '::/0' })],
        }),
      );
    }
    expect(open?.Tags).toContainEqual({ Key: 'cryptominer-defense:purpose', Value: 'connection-cut' });
    // The end state: every ENI on the isolation group, none left on the all-open one.
    const isolation = (await isolationGroups(clients.ec2)).find((group) => group.VpcId === layout.primaryNetwork.vpcId);
    expect(isolation?.IpPermissions).toEqual([]);
    expect(isolation?.IpPermissionsEgress).toEqual([]);
    expect(await networkInterfacesInGroup(clients.ec2, isolation?.GroupId ?? '')).toEqual(
      expect.arrayContaining([...target.networkInterfaceIds]),
    );
    expect(await networkInterfacesInGroup(clients.ec2, open?.GroupId ?? '')).toEqual([]);
    // Both moves per ENI, the all-open one first.
    for (const eni of target.networkInterfaceIds) {
      const moves = report.steps
        .filter((record) => record.target === eni)
        .map((record) => [record.action, record.status]);
      expect(moves).toEqual([
        ['moveToConnectionCutGroup', 'succeeded'],
        ['moveToIsolationGroup', 'succeeded'],
      ]);
    }
    expect(report.undo.networkInterfaces).toHaveLength(3);
    for (const undo of report.undo.networkInterfaces) {
      expect(undo).toMatchObject({
        previousSecurityGroupIds: [layout.primaryNetwork.securityGroupId],
        isolationSecurityGroupId: isolation?.GroupId,
        connectionCutSecurityGroupId: open?.GroupId,
      });
    }
    expect(report.response.networkIsolated).toBe(true);
  });
});

describe('keeping the evidence before stopping', () => {
  it('turns termination protection on, keeps and snapshots every volume, tags them, then stops', async () => {
    // Prepare
    const member = world.organization.member('workload-a');
    const target = member.inRegion(region).standaloneInstance;
    const clients = await world.clientsOf(member.accountId, region);
    const before = await describeInstance(clients.ec2, target.instanceId);
    const volumeIds = (before.BlockDeviceMappings ?? []).flatMap((mapping) => mapping.Ebs?.VolumeId ?? []);
    const event = guardDutyFindingEvent({ accountId: member.accountId, region, instanceId: target.instanceId });

    // Act
    const handled = reported(await world.createResponder().handle(event));

    // Assess
    const report = await world.readReport(handled.key);
    const after = await describeInstance(clients.ec2, target.instanceId);
    expect(volumeIds.length).toBeGreaterThan(0);
    expect(after.State?.Name).toBe('stopped');
    const protection = await clients.ec2.send(
      new DescribeInstanceAttributeCommand({ InstanceId: target.instanceId, Attribute: 'disableApiTermination' }),
    );
    expect(protection.DisableApiTermination?.Value).toBe(true);
    expect((after.BlockDeviceMappings ?? []).map((mapping) => mapping.Ebs?.DeleteOnTermination)).toEqual(
      volumeIds.map(() => false),
    );
    expect(after.Tags).toContainEqual({ Key: 'cryptominer-defense:incident', Value: report.findingId });
    const snapshots = await clients.ec2.send(
      new DescribeSnapshotsCommand({
        OwnerIds: ['self'],
        Filters: [{ Name: 'tag:cryptominer-defense:incident', Values: [report.findingId] }],
      }),
    );
    expect((snapshots.Snapshots ?? []).map((snapshot) => snapshot.VolumeId).sort()).toEqual([...volumeIds].sort());
    expect([...report.evidence.snapshots].sort((a, b) => a.volumeId.localeCompare(b.volumeId))).toEqual(
      (snapshots.Snapshots ?? [])
        .map((snapshot) => ({ volumeId: snapshot.VolumeId, snapshotId: snapshot.SnapshotId }))
        .sort((a, b) => (a.volumeId ?? '').localeCompare(b.volumeId ?? '')),
    );
    expect(report.undo.evidence).toMatchObject({
      instanceId: target.instanceId,
      previousTerminationProtection: false,
      terminationProtectionEnabled: true,
      volumesKeptOnTermination: volumeIds.map((volumeId) => expect.objectContaining({ volumeId })),
      taggedResourceIds: [target.instanceId, ...volumeIds],
    });
    // Evidence first, then the stop.
    const evidenceEnded = report.steps
      .filter((record) => record.step === 'preserveEvidence')
      .map((record) => Date.parse(record.endedAt));
    const stop = report.steps.find((record) => record.step === 'stopInstance');
    expect(Date.parse(stop?.startedAt ?? '')).toBeGreaterThanOrEqual(Math.max(...evidenceEnded));
    expect(report.evidence.hibernated).toBe(false);
  });

  it.each([
    ['hibernates an instance launched with hibernation', {}, 'hibernate', true],
    ['stops it when HIBERNATE_INSTANCES is false', { HIBERNATE_INSTANCES: 'false' }, 'stop', false],
  ] as const)('%s', async (_case, overrides, action, hibernated) => {
    // Prepare
    const { member, clients, instanceId } = await launchInstance({ hibernation: true });
    const event = guardDutyFindingEvent({ accountId: member.accountId, region, instanceId });

    // Act
    const handled = reported(await world.createResponder(overrides).handle(event));

    // Assess
    const report = await world.readReport(handled.key);
    expect((await describeInstance(clients.ec2, instanceId)).State?.Name).toBe('stopped');
    const stops = report.steps.filter((record) => record.step === 'stopInstance');
    expect(stops.map((record) => [record.action ?? 'stop', record.status])).toEqual([[action, 'succeeded']]);
    expect(report.evidence.hibernated).toBe(hibernated);
    expect(report.response.instanceStopped).toBe(true);
  });
});

describe('a hibernation that fails', () => {
  const faults = emulatorFaults(() => world.endpoint);

  afterAll(() => faults.stop());

  it('falls back to a plain stop, and the report says the instance is stopped and that hibernating failed', async () => {
    // Prepare: the first StopInstances (the one with Hibernate) is refused through the fault proxy.
    const { member, clients, instanceId } = await launchInstance({ hibernation: true });
    const event = guardDutyFindingEvent({ accountId: member.accountId, region, instanceId });
    const proxy = await faults.start([
      { service: 'ec2', operation: 'StopInstances', fault: 'accessDenied', onCalls: [1] },
    ]);

    // Act
    const handled = reported(await world.createResponder({ AWS_ENDPOINT_URL: proxy.endpoint }).handle(event));

    // Assess
    const report = await world.readReport(handled.key);
    expect((await describeInstance(clients.ec2, instanceId)).State?.Name).toBe('stopped');
    const stops = report.steps.filter((record) => record.step === 'stopInstance');
    expect(stops.map((record) => [record.action ?? 'stop', record.status])).toEqual([
      ['hibernate', 'failed'],
      ['stop', 'succeeded'],
    ]);
    expect(stops[0]).toMatchObject({ errorCode: 'UnauthorizedOperation' });
    expect(report.response.instanceStopped).toBe(true);
    expect(report.evidence.hibernated).toBe(false);
    expect(report.manualInterventionReasons).toContainEqual(
      expect.stringMatching(/^stopInstance hibernate .* failed: UnauthorizedOperation: .*stopped without hibernation/),
    );
  });
});

describe('an earlier termination protection that cannot be read', () => {
  const faults = emulatorFaults(() => world.endpoint);

  afterAll(() => faults.stop());

  it('is recorded with its error code, protects the instance all the same, and stays unknown in undo', async () => {
    // Prepare: every DescribeInstanceAttribute of the first delivery is refused through the fault proxy.
    const { member, clients, instanceId } = await launchInstance({ hibernation: false });
    const findingId = randomBytes(16).toString('hex');
    const [first, second] = [1, 2].map((count) =>
      guardDutyFindingEvent({ accountId: member.accountId, region, instanceId, findingId, count }),
    );
    const proxy = await faults.start([
      { service: 'ec2', operation: 'DescribeInstanceAttribute', fault: 'accessDenied' },
    ]);

    // Act
    const firstHandled = reported(await world.createResponder({ AWS_ENDPOINT_URL: proxy.endpoint }).handle(first));
    const firstReport = await world.readReport(firstHandled.key);
    proxy.setRules([]);
    const secondHandled = reported(await world.createResponder({ AWS_ENDPOINT_URL: proxy.endpoint }).handle(second));

    // Assess
    const protection = await clients.ec2.send(
      new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'disableApiTermination' }),
    );
    expect(protection.DisableApiTermination?.Value).toBe(true);
    const protectionRecords = firstReport.steps
      .filter((record) => record.step === 'preserveEvidence' && record.target === instanceId)
      .filter((record) => record.action !== 'tagIncident');
    expect(protectionRecords).toEqual([
      expect.objectContaining({
        action: 'readPreviousTerminationProtection',
        status: 'failed',
        errorCode: 'UnauthorizedOperation',
      }),
      expect.objectContaining({ action: 'enableTerminationProtection', status: 'succeeded' }),
    ]);
    expect(firstReport.undo.evidence).toMatchObject({
      previousTerminationProtection: null,
      terminationProtectionEnabled: true,
    });
    expect(firstReport.response).toMatchObject({ networkIsolated: true, instanceStopped: true });
    expect(firstReport.manualInterventionReasons).toContainEqual(
      expect.stringMatching(/^preserveEvidence readPreviousTerminationProtection .* failed: UnauthorizedOperation/),
    );
    // The later delivery reads protection on, its own doing: the earlier setting stays unknown.
    const report = await world.readReport(secondHandled.key);
    expect(report.undo.evidence).toMatchObject({
      previousTerminationProtection: null,
      terminationProtectionEnabled: true,
    });
  });
});

describe('following Auto Scaling to the person', () => {
  it('treats whoever last changed the group or its launch template as the actor, freezes them, and shows the chain', async () => {
    // Prepare
    const member = world.organization.member('workload-b');
    const seeded = member.inRegion(region).autoScalingGroup;
    const [target] = seeded.instances;
    if (target === undefined) throw new Error('the seeder launched no Auto Scaling instance');
    const clients = await world.clientsOf(member.accountId, region);
    const role = member.identities.appDeployRole;
    const roleSession = assumedRoleIdentity({
      accountId: member.accountId,
      roleName: role.roleName,
      sessionName: 'pipeline',
    });
    const groupRecord = createAutoScalingGroupRecord({
      identity: iamUserIdentity({ accountId: member.accountId, userName: member.identities.developer.userName }),
      region,
      autoScalingGroupName: seeded.autoScalingGroupName,
      launchTemplateId: seeded.launchTemplateId,
      eventTime: new Date('2026-10-01T09:00:00Z'),
    });
    const templateRecord = createLaunchTemplateVersionRecord({
      identity: roleSession,
      region,
      launchTemplateId: seeded.launchTemplateId,
      launchTemplateName: seeded.launchTemplateName,
      userData: 'curl pool | sh',
      eventTime: new Date('2026-11-20T09:00:00Z'),
    });
    const launchRecord = runInstancesRecord({
      identity: autoScalingServiceIdentity({ accountId: member.accountId }),
      region,
      instanceIds: [target.instanceId],
      autoScalingGroupName: seeded.autoScalingGroupName,
      launchTemplateId: seeded.launchTemplateId,
      eventTime: new Date('2026-11-21T09:00:00Z'),
    });
    world.cloudTrail.addRecords(groupRecord, templateRecord, launchRecord);
    const event = guardDutyFindingEvent({ accountId: member.accountId, region, instanceId: target.instanceId });

    // Act
    const handled = reported(await world.createResponder().handle(event));

    // Assess
    const report = await world.readReport(handled.key);
    expect(report.actor).toMatchObject({ type: 'AssumedRole', principalArn: role.arn, arn: roleSession.arn });
    expect(report.attributionChain).toEqual([
      expect.objectContaining({
        eventName: 'RunInstances',
        eventId: launchRecord.eventID,
        resourceName: target.instanceId,
      }),
      expect.objectContaining({
        eventName: 'CreateLaunchTemplateVersion',
        eventId: templateRecord.eventID,
        actorArn: roleSession.arn,
        resourceName: seeded.launchTemplateId,
      }),
    ]);
    expect(await attachedPolicyArns(clients.iam, role)).toEqual([AWS_DENY_ALL_ARN]);
    expect(report.response).toMatchObject({ actorFrozen: true, asgDisabled: true, instanceStopped: true });
    expect(report.manualInterventionReasons).toEqual([]);
  });
});
