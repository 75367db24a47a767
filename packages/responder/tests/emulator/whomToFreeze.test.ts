import { CreateTagsCommand } from '@aws-sdk/client-ec2';
import { ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { EC2_FLEET_TAG, linkedInstanceFindingId, SPOT_FLEET_TAG } from '@cryptominer-defense/core';
import {
  AWS_DENY_ALL_ARN,
  assumedRoleIdentity,
  attachedPolicyArns,
  createFleetRecord,
  createStackRecord,
  guardDutyFindingEvent,
  iamUserIdentity,
  launchStackInstance,
  requestSpotFleetRecord,
  runInstancesRecord,
  seedIamRole,
  seedIamUser,
  trustService,
} from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { instanceState } from '../support/instanceState';
import { isolatedNetworkInterfaces } from '../support/networkInterfaceGroups';
import { reported } from '../support/reported';
import { type ResponderWorld, startResponderWorld } from '../support/responderWorld';

let world: ResponderWorld;
const region = 'us-east-1';
const DAY = 86_400_000;

beforeAll(async () => {
  world = await startResponderWorld(emulatorEndpoint(), { regions: [region] });
}, 120_000);

afterAll(async () => {
  await world?.close();
});

afterEach(() => {
  world.cloudTrail.setThrottling(undefined);
});

async function accessKeyStatuses(member: { iam: Parameters<typeof attachedPolicyArns>[0] }, userName: string) {
  const keys = await member.iam.send(new ListAccessKeysCommand({ UserName: userName }));
  return keys.AccessKeyMetadata?.map((key) => key.Status);
}

describe('whom the response freezes', () => {
  it('follows an instance of a CloudFormation stack to the CreateStack caller, and leaves the stack role alone', async () => {
    // Prepare
    const member = world.organization.member('workload-a');
    const clients = await world.clientsOf(member.accountId, region);
    const subnetId = member.inRegion(region).primaryNetwork.subnetIds[0];
    const stack = await launchStackInstance(world.endpoint, {
      accountId: member.accountId,
      region,
      subnetId,
      stackName: 'batch-workers',
    });
    const stackAuthor = await seedIamUser(clients.iam, { userName: 'stack-author', accessKeys: 1 });
    world.cloudTrail.addRecords(
      createStackRecord({
        identity: iamUserIdentity({ accountId: member.accountId, userName: stackAuthor.userName }),
        region,
        stackId: stack.stackId,
        eventTime: new Date(Date.now() - 2 * 3_600_000),
      }),
      runInstancesRecord({
        identity: assumedRoleIdentity({
          accountId: member.accountId,
          roleName: 'AppDeployRole',
          sessionName: 'AWSCloudFormation',
          invokedBy: 'cloudformation.amazonaws.com',
        }),
        region,
        instanceIds: [stack.instanceId],
      }),
    );
    const event = guardDutyFindingEvent({ accountId: member.accountId, region, instanceId: stack.instanceId });

    // Act
    const handled = reported(await world.createResponder().handle(event));

    // Assess
    const report = await world.readReport(handled.key);
    expect(report.freezeDecision).toMatchObject({
      kind: 'freeze',
      launchedBy: `the CloudFormation stack ${stack.stackId}`,
    });
    expect(report.attributionChain.map((link) => link.eventName)).toEqual(['RunInstances', 'CreateStack']);
    expect(report.actor.arn).toBe(stackAuthor.arn);
    expect(await accessKeyStatuses(clients, stackAuthor.userName)).toEqual(['Inactive']);
    expect(await attachedPolicyArns(clients.iam, { userName: stackAuthor.userName })).toContain(AWS_DENY_ALL_ARN);
    expect(await attachedPolicyArns(clients.iam, { roleName: 'AppDeployRole' })).not.toContain(AWS_DENY_ALL_ARN);
  });

  it('freezes nobody when the instance ran for weeks before GuardDuty saw mining, and says why', async () => {
    // Prepare
    const member = world.organization.member('workload-b');
    const clients = await world.clientsOf(member.accountId, region);
    const target = member.inRegion(region).standaloneInstance;
    const engineer = await seedIamUser(clients.iam, { userName: 'platform-engineer', accessKeys: 1 });
    const launchedAt = new Date(Date.now() - 40 * DAY);
    world.cloudTrail.addRecords(
      runInstancesRecord({
        identity: iamUserIdentity({ accountId: member.accountId, userName: engineer.userName }),
        region,
        instanceIds: [target.instanceId],
        eventTime: launchedAt,
      }),
    );
    const event = guardDutyFindingEvent({
      accountId: member.accountId,
      region,
      instanceId: target.instanceId,
      launchTime: launchedAt,
    });

    // Act
    const handled = reported(await world.createResponder().handle(event));

    // Assess
    const report = await world.readReport(handled.key);
    expect(report.freezeDecision?.kind).toBe('freeze-nobody');
    expect(report.freezeDecision?.reason).toContain('LAUNCH_AGE_THRESHOLD_HOURS (48 h)');
    expect(report.steps).toContainEqual(
      expect.objectContaining({ step: 'freezeUser', status: 'skipped', target: engineer.arn }),
    );
    expect(report.manualInterventionReasons).toContainEqual(expect.stringContaining('exploited later'));
    expect(report.response).toMatchObject({ networkIsolated: true, instanceStopped: true, actorFrozen: false });
    expect(await accessKeyStatuses(clients, engineer.userName)).toEqual(['Active']);
    expect(await attachedPolicyArns(clients.iam, { userName: engineer.userName })).not.toContain(AWS_DENY_ALL_ARN);
  });

  it("contains the instance whose role credentials launched the miner as a linked incident, and keeps the shared role's trust", async () => {
    // Prepare
    const member = world.organization.member('workload-a');
    const clients = await world.clientsOf(member.accountId, region);
    const layout = member.inRegion(region);
    const miner = layout.multiEniInstance;
    const launching = layout.standaloneInstance;
    world.cloudTrail.addRecords(
      runInstancesRecord({
        identity: assumedRoleIdentity({
          accountId: member.accountId,
          roleName: 'BuildAgentRole',
          sessionName: launching.instanceId,
        }),
        region,
        instanceIds: [miner.instanceId],
      }),
    );
    const event = guardDutyFindingEvent({ accountId: member.accountId, region, instanceId: miner.instanceId });
    const findingId = String(event.detail.id);

    // Act
    const handled = reported(await world.createResponder().handle(event));

    // Assess
    const report = await world.readReport(handled.key);
    expect(report.freezeDecision).toMatchObject({
      kind: 'contain-launching-instance',
      linkedInstanceId: launching.instanceId,
    });
    const linked = reported(handled.derived?.[0] ?? { kind: 'ignored', reason: 'no linked incident' });
    const linkedReport = await world.readReport(linked.key);
    expect(linkedReport).toMatchObject({
      findingId: linkedInstanceFindingId(findingId, launching.instanceId),
      instanceId: launching.instanceId,
      response: { networkIsolated: true, instanceStopped: true },
    });
    expect(await isolatedNetworkInterfaces(clients.ec2)).toEqual(
      expect.arrayContaining([...miner.networkInterfaceIds, ...launching.networkInterfaceIds]),
    );
    expect(await instanceState(clients.ec2, launching.instanceId)).toBe('stopped');
    expect(await attachedPolicyArns(clients.iam, { roleName: 'BuildAgentRole' })).not.toContain(AWS_DENY_ALL_ARN);
  });

  it('follows an EC2 Fleet launch to the CreateFleet caller, through throttled lookups', async () => {
    // Prepare
    const member = world.organization.member('workload-b');
    const clients = await world.clientsOf(member.accountId, region);
    const target = member.inRegion(region).secondVpcInstance;
    const fleetId = 'fleet-0a1b2c3d4e5f60718';
    // EC2 tags a fleet's instances with the fleet id; moto's CreateFleet does not, so the test tags it as AWS would.
    await clients.ec2.send(
      new CreateTagsCommand({ Resources: [target.instanceId], Tags: [{ Key: EC2_FLEET_TAG, Value: fleetId }] }),
    );
    const requester = await seedIamUser(clients.iam, { userName: 'fleet-requester', accessKeys: 1 });
    world.cloudTrail.addRecords(
      createFleetRecord({
        identity: iamUserIdentity({ accountId: member.accountId, userName: requester.userName }),
        region,
        fleetId,
      }),
      runInstancesRecord({
        identity: assumedRoleIdentity({
          accountId: member.accountId,
          roleName: 'AWSServiceRoleForEC2Fleet',
          sessionName: 'EC2Fleet',
          rolePath: '/aws-service-role/ec2fleet.amazonaws.com/',
          invokedBy: 'ec2fleet.amazonaws.com',
        }),
        region,
        instanceIds: [target.instanceId],
      }),
    );
    world.cloudTrail.setThrottling({ everyNthCall: 2 });
    const event = guardDutyFindingEvent({ accountId: member.accountId, region, instanceId: target.instanceId });

    // Act
    const handled = reported(await world.createResponder().handle(event));

    // Assess
    const report = await world.readReport(handled.key);
    expect(report.attributionChain.map((link) => link.eventName)).toEqual(['RunInstances', 'CreateFleet']);
    expect(report.freezeDecision).toMatchObject({ kind: 'freeze', launchedBy: `the EC2 Fleet ${fleetId}` });
    const outcomes = world.cloudTrail.calls
      .filter((call) => call.accountId === member.accountId && call.operation === 'LookupEvents')
      .map((call) => call.outcome);
    expect(outcomes).toContain('ThrottlingException');
    expect(await accessKeyStatuses(clients, requester.userName)).toEqual(['Inactive']);
  });

  it("follows a Spot Fleet launch to the RequestSpotFleet caller, and leaves the fleet's role alone", async () => {
    // Prepare
    const member = world.organization.member('workload-b');
    const clients = await world.clientsOf(member.accountId, region);
    const target = member.inRegion(region).multiEniInstance;
    const spotFleetRequestId = 'sfr-7c2e9a41-0d7b-4f0e-9f51-3b8f6d2c1a90';
    await clients.ec2.send(
      new CreateTagsCommand({
        Resources: [target.instanceId],
        Tags: [{ Key: SPOT_FLEET_TAG, Value: spotFleetRequestId }],
      }),
    );
    const fleetRole = await seedIamRole(clients.iam, {
      roleName: 'aws-ec2-spot-fleet-tagging-role',
      trustPolicy: trustService('spotfleet.amazonaws.com'),
    });
    const requester = await seedIamUser(clients.iam, { userName: 'spot-requester', accessKeys: 1 });
    world.cloudTrail.addRecords(
      requestSpotFleetRecord({
        identity: iamUserIdentity({ accountId: member.accountId, userName: requester.userName }),
        region,
        spotFleetRequestId,
      }),
      runInstancesRecord({
        identity: assumedRoleIdentity({
          accountId: member.accountId,
          roleName: fleetRole.roleName,
          sessionName: 'SpotFleet',
          invokedBy: 'spotfleet.amazonaws.com',
        }),
        region,
        instanceIds: [target.instanceId],
      }),
    );
    const event = guardDutyFindingEvent({ accountId: member.accountId, region, instanceId: target.instanceId });

    // Act
    const handled = reported(await world.createResponder().handle(event));

    // Assess
    const report = await world.readReport(handled.key);
    expect(report.attributionChain.map((link) => link.eventName)).toEqual(['RunInstances', 'RequestSpotFleet']);
    expect(report.actor.arn).toBe(requester.arn);
    expect(await accessKeyStatuses(clients, requester.userName)).toEqual(['Inactive']);
    expect(await attachedPolicyArns(clients.iam, { roleName: fleetRole.roleName })).not.toContain(AWS_DENY_ALL_ARN);
  });
});
