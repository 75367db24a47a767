import { randomBytes } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { containmentHour, type IncidentReport } from '@cryptominer-defense/core';
import {
  EMULATOR_CREDENTIALS,
  emulatorClientConfig,
  guardDutyFindingEvent,
  instanceFindingTargetOf,
} from '@cryptominer-defense/testing';
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

beforeAll(async () => {
  world = await startResponderWorld(emulatorEndpoint(), { regions: [region] });
  s3 = new S3Client({ ...emulatorClientConfig(world.endpoint, { credentials: EMULATOR_CREDENTIALS }) });
}, 120_000);

afterAll(async () => {
  s3?.destroy();
  await world?.close();
});

/** An SNS topic of its own; its alerts are read from the calls the responders made (moto answered each). */
async function alertTopic() {
  const sns = new SNSClient(emulatorClientConfig(world.endpoint, { credentials: EMULATOR_CREDENTIALS }));
  const created = await sns.send(new CreateTopicCommand({ Name: `alerts-${randomBytes(4).toString('hex')}` }));
  sns.destroy();
  const topicArn = created.TopicArn ?? '';
  return {
    topicArn,
    published: () =>
      world.recorder.calls
        .filter((call) => call.action === 'sns:Publish' && call.outcome === 'ok' && call.input.TopicArn === topicArn)
        .map((call) => ({ subject: String(call.input.Subject), message: String(call.input.Message) })),
  };
}

const modeOf = (report: IncidentReport) => report.responseMode.mode;

describe('the blast-radius cap per account', () => {
  it('a burst of 12 concurrent findings in one account with a cap of 5: exactly 5 isolated and stopped, 7 observed for a person', async () => {
    // Prepare
    const bucket = await freshBucket(s3);
    const alerts = await alertTopic();
    const { accountId, ec2, instances, events } = await launchInstances(world, 'workload-a', 12, region);
    const env = {
      REPORT_BUCKET: bucket,
      ALERT_TOPIC_ARN: alerts.topicArn,
      CONTAINMENT_CAP_PER_ACCOUNT_PER_HOUR: '5',
    };

    // Act: each finding on a function instance of its own, all at once.
    const handled = await Promise.all(
      events.map((event) => world.createResponder(env, { now: clock }).handle(event).then(reported)),
    );

    // Assess
    const reports = handled.map((answer) => answer.report);
    const contained = reports.filter((report) => modeOf(report) === 'full');
    const observed = reports.filter((report) => modeOf(report) === 'observe');
    expect(contained, world.logs()).toHaveLength(5);
    expect(observed).toHaveLength(7);
    const inEmulator = await containedInEmulator(ec2, instances);
    const containedIds = contained.map((report) => report.instanceId).sort();
    expect(
      inEmulator.filter((state) => state.isolated && state.state === 'stopped').map((state) => state.instanceId),
    ).toEqual(expect.arrayContaining(containedIds));
    expect(inEmulator.filter((state) => state.anyIsolated || state.state !== 'running')).toHaveLength(5);
    const reason = `cap reached: 5 instances contained in account ${accountId} this hour (CONTAINMENT_CAP_PER_ACCOUNT_PER_HOUR)`;
    for (const report of observed) {
      expect(report.responseMode.reason).toMatch(
        new RegExp(`^${reason.replace(/[()]/g, '\\$&')}; the response policy chose full`),
      );
      expect(report.response).toMatchObject({
        networkIsolated: false,
        instanceStopped: false,
        actorFrozen: false,
        manualInterventionRequired: true,
      });
      expect(report.manualInterventionReasons).toContainEqual(expect.stringContaining(reason));
      expect(report.steps).toContainEqual(
        expect.objectContaining({ step: 'claimContainmentSlot', action: 'account', status: 'skipped', reason }),
      );
    }
    for (const report of contained) {
      expect(report.response).toMatchObject({ networkIsolated: true, instanceStopped: true, actorFrozen: true });
      expect(report.steps.filter((step) => step.status === 'failed')).toEqual([]);
      expect(report.manualInterventionReasons.filter((line) => line.includes('cap reached'))).toEqual([]);
    }
    const hour = containmentHour(clock());
    const slots = await slotsOf(s3, bucket, `responder-state/quota/account/${accountId}/${hour}/`);
    expect(slots.map((slot) => slot.key.split('/').at(-1)).sort()).toEqual([
      'slot-0001.json',
      'slot-0002.json',
      'slot-0003.json',
      'slot-0004.json',
      'slot-0005.json',
    ]);
    expect(slots.map((slot) => slot.findingId).sort()).toEqual(contained.map((report) => report.findingId).sort());
    const capped = alerts.published().filter((alert) => alert.message.includes('cap reached'));
    expect(capped).toHaveLength(7);
    for (const alert of capped) expect(alert.subject).toMatch(/\(action needed\)$/);
  });

  it('a re-delivered finding keeps its slot and takes no second one', async () => {
    // Prepare: a cap of 1, so that a second slot for the repeat would leave it observed.
    const bucket = await freshBucket(s3);
    const { accountId, ec2, instances, events } = await launchInstances(world, 'workload-b', 2, region);
    const [first, other] = events;
    const env = { REPORT_BUCKET: bucket, CONTAINMENT_CAP_PER_ACCOUNT_PER_HOUR: '1' };
    const firstReport = reported(await world.createResponder(env, { now: clock }).handle(first)).report;
    const resent = guardDutyFindingEvent({
      accountId,
      region,
      findingId: firstReport.findingId,
      count: 2,
      ...(await instanceFindingTargetOf(ec2, instances[0]?.instanceId ?? '')),
    });

    // Act
    const repeat = reported(await world.createResponder(env, { now: clock }).handle(resent)).report;
    const otherReport = reported(await world.createResponder(env, { now: clock }).handle(other)).report;

    // Assess
    expect(modeOf(firstReport)).toBe('full');
    expect(modeOf(repeat)).toBe('full');
    expect(repeat.deliveries.map((delivery) => delivery.outcome)).toEqual(['acted', 'repeated']);
    const held = firstReport.steps.find((step) => step.step === 'claimContainmentSlot' && step.action === 'account');
    expect(repeat.steps).toContainEqual(
      expect.objectContaining({
        step: 'claimContainmentSlot',
        action: 'account',
        status: 'already-done',
        target: held?.target,
      }),
    );
    const slots = await slotsOf(s3, bucket, `responder-state/quota/account/${accountId}/`);
    expect(slots).toEqual([
      { key: held?.target, findingId: firstReport.findingId, instanceId: firstReport.instanceId },
    ]);
    // The one slot is the first finding's: the next finding of the account is over the cap.
    expect(modeOf(otherReport)).toBe('observe');
    expect(otherReport.responseMode.reason).toContain(`cap reached: 1 instances contained in account ${accountId}`);
    expect((await containedInEmulator(ec2, instances)).map((state) => state.state)).toEqual(['stopped', 'running']);
  });
});

describe('the blast-radius cap per organization', () => {
  it('counts across accounts: with a cap of 3, four concurrent findings in two accounts contain three', async () => {
    // Prepare
    const bucket = await freshBucket(s3);
    const [a, b] = await Promise.all([
      launchInstances(world, 'workload-a', 2, region),
      launchInstances(world, 'workload-b', 2, region),
    ]);
    const env = { REPORT_BUCKET: bucket, CONTAINMENT_CAP_PER_ORGANIZATION_PER_HOUR: '3' };

    // Act
    const reports = await Promise.all(
      [...(a?.events ?? []), ...(b?.events ?? [])].map((event) =>
        world
          .createResponder(env, { now: clock })
          .handle(event)
          .then((answer) => reported(answer).report),
      ),
    );

    // Assess
    expect(
      reports.filter((report) => modeOf(report) === 'full'),
      world.logs(),
    ).toHaveLength(3);
    const [observed, ...more] = reports.filter((report) => modeOf(report) === 'observe');
    expect(more).toEqual([]);
    expect(observed?.responseMode.reason).toContain(
      'cap reached: 3 instances contained in the organization this hour (CONTAINMENT_CAP_PER_ORGANIZATION_PER_HOUR)',
    );
    const states = [
      ...(await containedInEmulator(a.ec2, a.instances)),
      ...(await containedInEmulator(b.ec2, b.instances)),
    ];
    expect(states.filter((state) => state.isolated && state.state === 'stopped')).toHaveLength(3);
    expect(states.filter((state) => !state.anyIsolated && state.state === 'running')).toHaveLength(1);
    const hour = containmentHour(clock());
    expect(await slotsOf(s3, bucket, `responder-state/quota/organization/${hour}/`)).toHaveLength(3);
  });
});

describe('a slot that cannot be claimed', () => {
  const faults = emulatorFaults(() => world.endpoint);

  afterAll(() => faults.stop());

  it('fails safe: observe, and a failed step with the AWS error code; nothing changed in the account', async () => {
    // Prepare
    const bucket = await freshBucket(s3);
    const { ec2, instances, events } = await launchInstances(world, 'workload-a', 1, region);
    const proxy = await faults.start([
      { service: 's3', operation: 'PutObject', pathPrefix: `/${bucket}/responder-state/quota/`, fault: 'accessDenied' },
    ]);

    // Act
    const report = reported(
      await world
        .createResponder({ REPORT_BUCKET: bucket, AWS_ENDPOINT_URL: proxy.endpoint }, { now: clock })
        .handle(events[0]),
    ).report;

    // Assess
    expect(report.responseMode.mode).toBe('observe');
    expect(report.responseMode.reason).toMatch(
      /^could not claim a containment slot \(AccessDenied\): observe, to fail safe/,
    );
    expect(report.steps).toContainEqual(
      expect.objectContaining({ step: 'claimContainmentSlot', status: 'failed', errorCode: 'AccessDenied' }),
    );
    expect(report.response.manualInterventionRequired).toBe(true);
    expect(report.manualInterventionReasons).toContainEqual(expect.stringContaining('claimContainmentSlot'));
    expect(await containedInEmulator(ec2, instances)).toEqual([
      expect.objectContaining({ anyIsolated: false, state: 'running' }),
    ]);
  });
});
