import { randomBytes } from 'node:crypto';
import { CreateTagsCommand } from '@aws-sdk/client-ec2';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { EC2_FLEET_TAG, instanceClaimKey, linkedInstanceFindingId } from '@cryptominer-defense/core';
import {
  createFleetRecord,
  EMULATOR_CREDENTIALS,
  emulatorClientConfig,
  guardDutyFindingEvent,
  iamUserIdentity,
  instanceFindingTargetOf,
  runInstancesRecord,
  seedIamUser,
} from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { instanceState } from '../support/instanceState';
import { memberWrites } from '../support/memberWrites';
import { isolatedNetworkInterfaces } from '../support/networkInterfaceGroups';
import { reported } from '../support/reported';
import { REPORT_BUCKET, type ResponderWorld, startResponderWorld } from '../support/responderWorld';

let world: ResponderWorld;
const home = 'us-east-1';
const elsewhere = 'eu-west-1';

beforeAll(async () => {
  world = await startResponderWorld(emulatorEndpoint(), {
    regions: [home, elsewhere],
    members: [
      { name: 'follow-full', organizationalUnit: 'Workloads' },
      { name: 'follow-observe', organizationalUnit: 'Workloads' },
      { name: 'follow-maximum', organizationalUnit: 'Workloads' },
      { name: 'follow-claimed', organizationalUnit: 'Workloads' },
      { name: 'follow-first', organizationalUnit: 'Workloads' },
      { name: 'follow-history', organizationalUnit: 'Workloads' },
      { name: 'follow-shared', organizationalUnit: 'Workloads' },
      { name: 'follow-fleet', organizationalUnit: 'Workloads' },
    ],
  });
}, 180_000);

afterAll(async () => {
  await world?.close();
});

afterEach(() => {
  world.cloudTrail.setThrottling(undefined);
});

/**
 * A user who launched the finding's instance in the home region and, as CloudTrail in the other region records it,
 * the given instances there (moto launched them there), with no finding about them.
 */
async function minersOfOneUser(memberName: string, userName: string, elsewhereInstanceIds: readonly string[]) {
  const member = world.organization.member(memberName);
  const homeClients = await world.clientsOf(member.accountId, home);
  const otherClients = await world.clientsOf(member.accountId, elsewhere);
  const user = await seedIamUser(homeClients.iam, { userName, accessKeys: 1 });
  const identity = iamUserIdentity({ accountId: member.accountId, userName });
  const miner = member.inRegion(home).standaloneInstance;
  world.cloudTrail.addRecords(
    runInstancesRecord({ identity, region: home, instanceIds: [miner.instanceId] }),
    ...elsewhereInstanceIds.map((instanceId, index) =>
      runInstancesRecord({
        identity,
        region: elsewhere,
        instanceIds: [instanceId],
        eventTime: new Date(Date.now() - (index + 2) * 3_600_000),
      }),
    ),
  );
  const event = guardDutyFindingEvent({ accountId: member.accountId, region: home, instanceId: miner.instanceId });
  return { member, homeClients, otherClients, user, miner, event, findingId: String(event.detail.id) };
}

describe("following the attributed person across the account's regions", () => {
  it('isolates and stops their instance in another region, with no finding there, as a linked incident; a repeat acts once', async () => {
    // Prepare
    const other = world.organization.member('follow-full').inRegion(elsewhere).standaloneInstance;
    const { member, otherClients, event, findingId } = await minersOfOneUser('follow-full', 'roaming-miner', [
      other.instanceId,
    ]);
    world.cloudTrail.setThrottling({ everyNthCall: 3 });
    world.recorder.clear();

    // Act
    const handled = reported(await world.createResponder().handle(event));
    const writesOfTheFirst = memberWrites(world, member.accountId);
    world.recorder.clear();
    const again = reported(await world.createResponder().handle(event));

    // Assess
    const report = await world.readReport(handled.key);
    expect(report.schemaVersion).toBe('2.6');
    expect(report.linkedInstances).toEqual([
      expect.objectContaining({ instanceId: other.instanceId, region: elsewhere, state: 'running', action: 'contain' }),
    ]);
    expect(report.steps.filter((record) => record.step === 'followActor' && record.status === 'failed')).toEqual([]);
    const linked = reported(handled.derived?.[0] ?? { kind: 'ignored', reason: 'no linked incident' });
    const linkedReport = await world.readReport(linked.key);
    expect(linkedReport).toMatchObject({
      findingId: linkedInstanceFindingId(findingId, other.instanceId),
      region: elsewhere,
      instanceId: other.instanceId,
      response: { networkIsolated: true, instanceStopped: true },
    });
    expect(await instanceState(otherClients.ec2, other.instanceId)).toBe('stopped');
    expect(await isolatedNetworkInterfaces(otherClients.ec2)).toEqual(
      expect.arrayContaining([...other.networkInterfaceIds]),
    );
    const lookups = world.cloudTrail.calls.filter((call) => call.accountId === member.accountId);
    expect(lookups.map((call) => call.outcome)).toContain('ThrottlingException');
    expect(lookups.map((call) => call.region)).toEqual(expect.arrayContaining([home, elsewhere]));
    // Two instances stopped by the first delivery (the finding's and the followed one), none by the repeat.
    expect(writesOfTheFirst.filter((action) => action === 'ec2:StopInstances')).toHaveLength(2);
    expect(memberWrites(world, member.accountId)).toEqual([]);
    expect(
      again.derived?.map((derived) => reported(derived).report.deliveries.map((delivery) => delivery.outcome)),
    ).toEqual([['acted', 'repeated']]);
  });

  it('in observe mode only lists their instance in the other region: it keeps running, no linked incident', async () => {
    // Prepare
    const other = world.organization.member('follow-observe').inRegion(elsewhere).standaloneInstance;
    const { otherClients, event } = await minersOfOneUser('follow-observe', 'observed-miner', [other.instanceId]);

    // Act
    const handled = reported(
      await world.createResponder({ RESPONSE_POLICY: JSON.stringify({ default: 'observe' }) }).handle(event),
    );

    // Assess
    const report = await world.readReport(handled.key);
    expect(report.linkedInstances).toEqual([
      expect.objectContaining({ instanceId: other.instanceId, region: elsewhere, action: 'listed: observe mode' }),
    ]);
    expect(handled.derived ?? []).toEqual([]);
    expect(await instanceState(otherClients.ec2, other.instanceId)).toBe('running');
    expect(await isolatedNetworkInterfaces(otherClients.ec2)).toEqual([]);
  });

  it('contains at most MAX_FOLLOWED_INSTANCES and asks a person about the rest', async () => {
    // Prepare
    const layout = world.organization.member('follow-maximum').inRegion(elsewhere);
    const newer = layout.standaloneInstance;
    const older = layout.secondVpcInstance;
    const { otherClients, event } = await minersOfOneUser('follow-maximum', 'bulk-miner', [
      newer.instanceId,
      older.instanceId,
    ]);

    // Act
    const handled = reported(await world.createResponder({ MAX_FOLLOWED_INSTANCES: '1' }).handle(event));

    // Assess
    const report = await world.readReport(handled.key);
    expect(report.linkedInstances?.map((instance) => [instance.instanceId, instance.action])).toEqual([
      [expect.any(String), 'contain'],
      [expect.any(String), 'not contained: maximum reached'],
    ]);
    const left = report.linkedInstances?.find((instance) => instance.action !== 'contain')?.instanceId ?? '';
    const contained = report.linkedInstances?.find((instance) => instance.action === 'contain')?.instanceId ?? '';
    expect(report.manualInterventionReasons).toContainEqual(expect.stringContaining(`${left} (${elsewhere})`));
    expect(handled.derived).toHaveLength(1);
    expect(await instanceState(otherClients.ec2, contained)).toBe('stopped');
    expect(await instanceState(otherClients.ec2, left)).toBe('running');
  });

  it('looks a launcher up once per region for the findings of their fleet that one container answers at once', async () => {
    // Prepare
    const other = world.organization.member('follow-shared').inRegion(elsewhere).standaloneInstance;
    const { member, miner, event } = await minersOfOneUser('follow-shared', 'fleet-owner', [other.instanceId]);
    const otherEvent = guardDutyFindingEvent({
      accountId: member.accountId,
      region: elsewhere,
      instanceId: other.instanceId,
    });
    const responder = world.createResponder({ RESPONSE_POLICY: JSON.stringify({ default: 'observe' }) });
    world.recorder.clear();

    // Act
    const [handled, otherHandled] = await Promise.all([responder.handle(event), responder.handle(otherEvent)]);

    // Assess
    const followLookups = world.recorder.calls.filter(
      (call) =>
        call.action === 'cloudtrail:LookupEvents' &&
        call.accountId === member.accountId &&
        (call.input.LookupAttributes as { AttributeKey?: string }[] | undefined)?.[0]?.AttributeKey !== 'ResourceName',
    );
    const regions = followLookups.map((call) => call.region);
    // Both responses follow the same person in every enabled region: each region is asked once, not twice.
    expect(regions).toContain(home);
    expect(regions).toContain(elsewhere);
    expect(regions).toHaveLength(new Set(regions).size);
    // Each still sees the other's instance in its own report.
    const report = await world.readReport(reported(handled).key);
    const otherReport = await world.readReport(reported(otherHandled).key);
    expect(report.linkedInstances?.map((instance) => instance.instanceId)).toEqual([other.instanceId]);
    expect(otherReport.linkedInstances?.map((instance) => instance.instanceId)).toEqual([miner.instanceId]);
  });

  it("lists an instance whose own finding's response claimed it first as answered by that finding: no linked incident", async () => {
    // Prepare: the other instance's own finding is being answered at this moment (its claim, no incident tag yet).
    const other = world.organization.member('follow-claimed').inRegion(elsewhere).standaloneInstance;
    const { member, otherClients, event } = await minersOfOneUser('follow-claimed', 'claimed-miner', [
      other.instanceId,
    ]);
    const ownFinding = randomBytes(16).toString('hex');
    const s3 = new S3Client(emulatorClientConfig(world.endpoint, { credentials: EMULATOR_CREDENTIALS }));
    await s3.send(
      new PutObjectCommand({
        Bucket: REPORT_BUCKET,
        Key: instanceClaimKey({ accountId: member.accountId, region: elsewhere, instanceId: other.instanceId }) ?? '',
        Body: JSON.stringify({
          findingId: ownFinding,
          claimedAt: new Date().toISOString(),
          accountId: member.accountId,
          region: elsewhere,
          instanceId: other.instanceId,
        }),
      }),
    );
    s3.destroy();

    // Act
    const handled = reported(await world.createResponder().handle(event));

    // Assess
    const report = await world.readReport(handled.key);
    expect(report.linkedInstances).toEqual([
      expect.objectContaining({
        instanceId: other.instanceId,
        action: 'answered by its own incident',
        answeredBy: ownFinding,
      }),
    ]);
    expect(report.response.manualInterventionRequired).toBe(false);
    expect(handled.derived ?? []).toEqual([]);
    expect(await instanceState(otherClients.ec2, other.instanceId)).toBe('running');
  });

  it("answers an instance once when its linked incident came first: its own finding's report names the linked incident", async () => {
    // Prepare
    const other = world.organization.member('follow-first').inRegion(elsewhere).standaloneInstance;
    const { member, otherClients, event, findingId } = await minersOfOneUser('follow-first', 'first-miner', [
      other.instanceId,
    ]);
    const ownEvent = guardDutyFindingEvent({
      accountId: member.accountId,
      region: elsewhere,
      ...(await instanceFindingTargetOf(otherClients.ec2, other.instanceId)),
    });
    const linkedId = linkedInstanceFindingId(findingId, other.instanceId);
    world.recorder.clear();

    // Act
    const handled = reported(await world.createResponder().handle(event));
    const own = reported(await world.createResponder().handle(ownEvent));

    // Assess
    const linked = reported(handled.derived?.[0] ?? { kind: 'ignored', reason: 'no linked incident' });
    expect(linked.report).toMatchObject({ findingId: linkedId, response: { instanceStopped: true } });
    expect(own.report).toMatchObject({ disposition: 'answered-elsewhere', instanceId: other.instanceId });
    expect(own.report.dispositionReason).toContain(`finding ${linkedId}`);
    expect(own.key).not.toBe(linked.key);
    expect(memberWrites(world, member.accountId).filter((action) => action === 'ec2:StopInstances')).toHaveLength(2);
    expect(await instanceState(otherClients.ec2, other.instanceId)).toBe('stopped');
  });

  it('tells a person when the history holds more than the 20 pages read: an older launch still running is not listed', async () => {
    // Prepare: the person's launch of the other instance, three days ago, and 1,000 newer launches after it.
    const other = world.organization.member('follow-history').inRegion(elsewhere).standaloneInstance;
    const { member, otherClients, event } = await minersOfOneUser('follow-history', 'busy-miner', []);
    const identity = iamUserIdentity({ accountId: member.accountId, userName: 'busy-miner' });
    world.cloudTrail.addRecords(
      runInstancesRecord({
        identity,
        region: elsewhere,
        instanceIds: [other.instanceId],
        eventTime: new Date(Date.now() - 3 * 86_400_000),
      }),
      ...Array.from({ length: 1_000 }, (_, index) =>
        runInstancesRecord({
          identity,
          region: elsewhere,
          instanceIds: [`i-${index.toString(16).padStart(17, '0')}`],
          eventTime: new Date(Date.now() - 86_400_000 + index * 1_000),
        }),
      ),
    );

    // Act
    const handled = reported(await world.createResponder().handle(event));

    // Assess
    const report = await world.readReport(handled.key);
    expect(report.linkedInstances ?? []).toEqual([]);
    expect(report.steps).toContainEqual(
      expect.objectContaining({
        step: 'followActor',
        action: 'olderLaunchesNotSearched',
        target: elsewhere,
        status: 'skipped',
      }),
    );
    expect(report.manualInterventionReasons).toContainEqual(
      expect.stringContaining('older launches were not searched'),
    );
    expect(report.steps.filter((record) => record.step === 'followActor' && record.status === 'failed')).toEqual([]);
    expect(await instanceState(otherClients.ec2, other.instanceId)).toBe('running');
  });

  it('finds the instances of a maintain fleet the person created (no instance ids in the answer) by its tag', async () => {
    // Prepare: EC2 tags a fleet's instances with its id; moto's CreateFleet does not, so the test tags it as AWS would.
    const other = world.organization.member('follow-fleet').inRegion(elsewhere).standaloneInstance;
    const { member, otherClients, event } = await minersOfOneUser('follow-fleet', 'fleet-miner', []);
    const fleetId = 'fleet-73fdd2ce-7b29-4ca5-8b29-81b2b9e51e21';
    await otherClients.ec2.send(
      new CreateTagsCommand({ Resources: [other.instanceId], Tags: [{ Key: EC2_FLEET_TAG, Value: fleetId }] }),
    );
    world.cloudTrail.addRecords(
      createFleetRecord({
        identity: iamUserIdentity({ accountId: member.accountId, userName: 'fleet-miner' }),
        region: elsewhere,
        fleetId,
      }),
    );

    // Act
    const handled = reported(await world.createResponder().handle(event));

    // Assess
    const report = await world.readReport(handled.key);
    expect(report.linkedInstances).toEqual([
      expect.objectContaining({ instanceId: other.instanceId, region: elsewhere, action: 'contain' }),
    ]);
    expect(handled.derived?.map((derived) => reported(derived).report.instanceId)).toEqual([other.instanceId]);
    expect(await instanceState(otherClients.ec2, other.instanceId)).toBe('stopped');
  });
});
