import { ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { guardDutyFindingEvent, iamUserIdentity, runInstancesRecord } from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reported } from '../support/reported';
import { type ResponderWorld, startResponderWorld } from '../support/responderWorld';

let world: ResponderWorld;

beforeAll(async () => {
  world = await startResponderWorld(emulatorEndpoint(), { regions: ['us-east-1'] });
}, 120_000);

afterAll(async () => {
  await world?.close();
});

afterEach(() => {
  world.cloudTrail.setThrottling(undefined);
  world.cloudTrail.clearCalls();
});

/** Copies of a record about the same instance, each newer than the last (CloudTrail pages newest first). */
function newerEventsLike(record: ReturnType<typeof runInstancesRecord>, count: number) {
  return Array.from({ length: count }, (_, index) => ({
    ...record,
    eventName: index % 2 === 0 ? 'StopInstances' : 'StartInstances',
    eventID: crypto.randomUUID(),
    eventTime: new Date(Date.now() - 3_600_000 + index * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  }));
}

/** Attribution's look-ups (by the instance's id): the person it finds is then followed by look-ups of their own. */
function lookupCallsFor(accountId: string) {
  return world.cloudTrail.calls.filter(
    (call) =>
      call.operation === 'LookupEvents' &&
      call.accountId === accountId &&
      JSON.stringify(call.request).includes('"AttributeKey":"ResourceName"'),
  );
}

describe('attribution through CloudTrail LookupEvents', () => {
  it('pages through newer events about the instance until it finds RunInstances', async () => {
    // Prepare
    const member = world.organization.member('workload-a');
    const region = 'us-east-1';
    const target = member.inRegion(region).standaloneInstance;
    const launch = runInstancesRecord({
      identity: iamUserIdentity({ accountId: member.accountId, userName: 'ci-deployer' }),
      region,
      instanceIds: [target.instanceId],
      eventTime: new Date(Date.now() - 7_200_000),
    });
    world.cloudTrail.addRecords(launch, ...newerEventsLike(launch, 120));
    const event = guardDutyFindingEvent({ accountId: member.accountId, region, instanceId: target.instanceId });

    // Act
    const handled = reported(await world.createResponder().handle(event));

    // Assess
    const report = await world.readReport(handled.key);
    expect(report.actor).toMatchObject({ type: 'IAMUser', arn: `arn:aws:iam::${member.accountId}:user/ci-deployer` });
    expect(lookupCallsFor(member.accountId).length).toBeGreaterThanOrEqual(3);
    const clients = await world.clientsOf(member.accountId, region);
    const keys = await clients.iam.send(new ListAccessKeysCommand({ UserName: 'ci-deployer' }));
    expect(keys.AccessKeyMetadata?.map((key) => key.Status)).toEqual(['Inactive']);
  });

  it('backs off when CloudTrail throttles, and still attributes', async () => {
    // Prepare
    const member = world.organization.member('workload-b');
    const region = 'us-east-1';
    const target = member.inRegion(region).standaloneInstance;
    const launch = runInstancesRecord({
      identity: iamUserIdentity({ accountId: member.accountId, userName: 'developer' }),
      region,
      instanceIds: [target.instanceId],
      eventTime: new Date(Date.now() - 7_200_000),
    });
    // 60 newer events: RunInstances is on the second page, and the fake throttles every second call.
    world.cloudTrail.addRecords(launch, ...newerEventsLike(launch, 60));
    world.cloudTrail.setThrottling({ everyNthCall: 2 });
    const event = guardDutyFindingEvent({ accountId: member.accountId, region, instanceId: target.instanceId });

    // Act
    const handled = reported(await world.createResponder().handle(event));

    // Assess
    const report = await world.readReport(handled.key);
    expect(lookupCallsFor(member.accountId).map((call) => call.outcome)).toEqual(['ok', 'ThrottlingException', 'ok']);
    expect(report.actor).toMatchObject({ type: 'IAMUser', arn: `arn:aws:iam::${member.accountId}:user/developer` });
    expect(report.response.actorFrozen).toBe(true);
  });

  it('records attribution as failed when CloudTrail keeps throttling, and contains the instance anyway', async () => {
    // Prepare
    const member = world.organization.member('workload-b');
    const region = 'us-east-1';
    const target = member.inRegion(region).multiEniInstance;
    world.cloudTrail.setThrottling({ everyNthCall: 1 });
    const event = guardDutyFindingEvent({ accountId: member.accountId, region, instanceId: target.instanceId });
    // Two attempts instead of six keep the test short; the behaviour does not depend on the number.
    const responder = world.createResponder({ AWS_MAX_ATTEMPTS: '2' });

    // Act
    const handled = reported(await responder.handle(event));

    // Assess
    const report = await world.readReport(handled.key);
    expect(lookupCallsFor(member.accountId).map((call) => call.outcome)).toEqual([
      'ThrottlingException',
      'ThrottlingException',
    ]);
    expect(report.steps).toContainEqual(
      expect.objectContaining({ step: 'attributeLaunch', status: 'failed', errorCode: 'ThrottlingException' }),
    );
    expect(report.response).toMatchObject({ networkIsolated: true, instanceStopped: true, actorFrozen: false });
    expect(report.manualInterventionReasons).toEqual([expect.stringContaining('attributeLaunch')]);
  });
});
