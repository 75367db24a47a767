import { randomBytes } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  containmentHour,
  containmentSlotKey,
  containmentSlotsPrefix,
  type IncidentReport,
  instancePlaceInSlots,
} from '@cryptominer-defense/core';
import { EMULATOR_CREDENTIALS, emulatorClientConfig } from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containedInEmulator, freshBucket, launchInstances, midHourClock, slotsOf } from '../support/capScenario';
import { emulatorFaults } from '../support/emulatorFaults';
import { reported } from '../support/reported';
import { type ResponderWorld, startResponderWorld } from '../support/responderWorld';

let world: ResponderWorld;
let s3: S3Client;
const region = 'us-east-1';
const clock = midHourClock;
const faults = emulatorFaults(() => world.endpoint);
/** One launcher for every instance here: its other instances are listed, not contained (each has its own finding). */
const LIST_ONLY = { MAX_FOLLOWED_INSTANCES: '0' };

beforeAll(async () => {
  world = await startResponderWorld(emulatorEndpoint(), { regions: [region] });
  s3 = new S3Client({ ...emulatorClientConfig(world.endpoint, { credentials: EMULATOR_CREDENTIALS }) });
}, 120_000);

afterAll(async () => {
  await faults.stop();
  s3?.destroy();
  await world?.close();
});

const modeOf = (report: IncidentReport) => report.responseMode.mode;
const slotRecords = (report: IncidentReport | undefined) =>
  (report?.steps ?? []).filter((step) => step.step === 'claimContainmentSlot');

describe('slots claimed ahead of the admission by a warm container (decision 0019)', () => {
  it("claims the instance's slots beside the lock: isolated before the slower listing answers", async () => {
    // Prepare: a container that answered one finding of the hour (it listed the slots), and every listing of the
    // bucket held back 3 s from then on, far longer than anything else the response waits for on the emulator.
    const bucket = await freshBucket(s3);
    const { ec2, instances, events } = await launchInstances(world, 'workload-a', 2, region);
    const [warming, measured] = events;
    const proxy = await faults.start([]);
    const responder = world.createResponder(
      { ...LIST_ONLY, REPORT_BUCKET: bucket, AWS_ENDPOINT_URL: proxy.endpoint },
      { now: clock },
    );
    const first = reported(await responder.handle(warming)).report;
    proxy.setRules([
      { service: 's3', operation: 'ListObjectsV2', pathPrefix: `/${bucket}`, fault: 'latency', latencyMs: 3_000 },
    ]);
    world.recorder.clear();

    // Act
    const second = reported(await responder.handle(measured)).report;

    // Assess: the calls in the order they answered.
    const answered = world.recorder.calls.map((call) => `${call.action} ${String(call.input.Key ?? '')}`);
    const firstListing = answered.findIndex((call) => call.startsWith('s3:ListBucket'));
    const lastEniMove = answered.findLastIndex((call) => call.startsWith('ec2:ModifyNetworkInterfaceAttribute'));
    const slotWrites = answered.filter((call) => call.startsWith('s3:PutObject responder-state/quota/'));
    expect(firstListing, answered.join('\n')).toBeGreaterThan(lastEniMove);
    expect(
      answered.slice(0, lastEniMove).filter((call) => call.startsWith('s3:PutObject responder-state/quota/')),
    ).toHaveLength(2);
    expect(slotWrites).toHaveLength(2);
    expect([modeOf(first), modeOf(second)]).toEqual(['full', 'full']);
    expect(slotRecords(second).map((record) => [record.action, record.status])).toEqual([
      ['account', 'succeeded'],
      ['organization', 'succeeded'],
    ]);
    const hour = containmentHour(clock());
    const accountId = world.organization.member('workload-a').accountId;
    const slots = await slotsOf(s3, bucket, `responder-state/quota/account/${accountId}/${hour}/`);
    expect(slots.map((slot) => slot.findingId).sort()).toEqual([first.findingId, second.findingId].sort());
    expect((await containedInEmulator(ec2, instances)).map((state) => [state.isolated, state.state])).toEqual([
      [true, 'stopped'],
      [true, 'stopped'],
    ]);
  });

  it('holds the cap exactly: a warm container and a burst of 11 more with a cap of 5 contain 5', async () => {
    // Prepare: the container's first finding lists the slots; the other 11 arrive together.
    const bucket = await freshBucket(s3);
    const { ec2, instances, events } = await launchInstances(world, 'workload-b', 12, region);
    const [warming, ...burst] = events;
    const responder = world.createResponder(
      { ...LIST_ONLY, REPORT_BUCKET: bucket, CONTAINMENT_CAP_PER_ACCOUNT_PER_HOUR: '5' },
      { now: clock },
    );
    const first = reported(await responder.handle(warming)).report;

    // Act
    const reports = [
      first,
      ...(await Promise.all(burst.map((event) => responder.handle(event).then(reported)))).map(
        (answer) => answer.report,
      ),
    ];

    // Assess
    expect(
      reports.filter((report) => modeOf(report) === 'full'),
      world.logs(),
    ).toHaveLength(5);
    expect(reports.filter((report) => modeOf(report) === 'observe')).toHaveLength(7);
    const states = await containedInEmulator(ec2, instances);
    expect(states.filter((state) => state.anyIsolated || state.state !== 'running')).toHaveLength(5);
    const accountId = world.organization.member('workload-b').accountId;
    const slots = await slotsOf(s3, bucket, `responder-state/quota/account/${accountId}/${containmentHour(clock())}/`);
    expect(slots).toHaveLength(5);
    expect(slots.map((slot) => slot.findingId).sort()).toEqual(
      reports
        .filter((report) => modeOf(report) === 'full')
        .map((report) => report.findingId)
        .sort(),
    );
  });

  it.each(['a warm container', 'a cold container'])(
    'counts an instance once: the slot its other finding took ahead is its own (%s)',
    async (container) => {
      // Prepare: the instance's place in both scopes taken by another finding of the same instance, as a finding that
      // won the slots ahead of its admission and then lost the instance's claim leaves them.
      const bucket = await freshBucket(s3);
      const { ec2, instances, events } = await launchInstances(world, 'workload-a', 2, region);
      const [warming, answering] = events;
      const target = instances[1];
      if (target === undefined || answering === undefined || warming === undefined) throw new Error('two instances');
      const responder = world.createResponder({ ...LIST_ONLY, REPORT_BUCKET: bucket }, { now: clock });
      if (container === 'a warm container') await responder.handle(warming);
      const accountId = world.organization.member('workload-a').accountId;
      const hour = containmentHour(clock());
      const otherFinding = randomBytes(16).toString('hex');
      const scopes = [{ kind: 'account', accountId } as const, { kind: 'organization' } as const];
      const place = instancePlaceInSlots({ accountId, instanceId: target.instanceId }, 1000);
      const placeKeys = scopes.map((scope) => containmentSlotKey(scope, hour, place));
      const holder = { findingId: otherFinding, accountId, instanceId: target.instanceId, claimedAt: clock() };
      for (const key of placeKeys) {
        await s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, IfNoneMatch: '*', Body: JSON.stringify(holder) }),
        );
      }

      // Act
      const report = reported(await responder.handle(answering)).report;

      // Assess
      expect(modeOf(report)).toBe('full');
      expect(slotRecords(report).map((record) => [record.action, record.status, record.target])).toEqual([
        ['account', 'succeeded', placeKeys[0]],
        ['organization', 'succeeded', placeKeys[1]],
      ]);
      for (const [index, scope] of scopes.entries()) {
        const slots = await slotsOf(s3, bucket, containmentSlotsPrefix(scope, hour));
        expect(slots.filter((slot) => slot.instanceId === target.instanceId)).toEqual([
          { key: placeKeys[index], findingId: otherFinding, instanceId: target.instanceId },
        ]);
      }
      expect((await containedInEmulator(ec2, [target]))[0]).toMatchObject({ isolated: true, state: 'stopped' });
    },
  );
  it("takes the organization's slot too when the account's only slot is the instance's own (its other finding's)", async () => {
    // Prepare: a cap of 1 per account, its one slot held by another finding of the same instance: the account is
    // listed full, yet the instance holds its slot, so the response contains it and takes an organization slot.
    const bucket = await freshBucket(s3);
    const { ec2, instances, events } = await launchInstances(world, 'workload-b', 1, region);
    const [target, event] = [instances[0], events[0]];
    if (target === undefined || event === undefined) throw new Error('one instance');
    const accountId = world.organization.member('workload-b').accountId;
    const hour = containmentHour(clock());
    const accountSlot = containmentSlotKey({ kind: 'account', accountId }, hour, 1);
    const holder = { findingId: randomBytes(16).toString('hex'), accountId, instanceId: target.instanceId };
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: accountSlot, IfNoneMatch: '*', Body: JSON.stringify(holder) }),
    );
    const env = { ...LIST_ONLY, REPORT_BUCKET: bucket, CONTAINMENT_CAP_PER_ACCOUNT_PER_HOUR: '1' };

    // Act
    const report = reported(await world.createResponder(env, { now: clock }).handle(event)).report;

    // Assess
    expect(modeOf(report)).toBe('full');
    expect(slotRecords(report).map((record) => [record.action, record.status])).toEqual([
      ['account', 'succeeded'],
      ['organization', 'succeeded'],
    ]);
    const organizationSlots = await slotsOf(s3, bucket, containmentSlotsPrefix({ kind: 'organization' }, hour));
    expect(organizationSlots.map((slot) => slot.findingId)).toEqual([report.findingId]);
    expect((await containedInEmulator(ec2, [target]))[0]).toMatchObject({ isolated: true, state: 'stopped' });
  });
});
