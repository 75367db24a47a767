import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { GetFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type IncidentReport, PAUSE_SWITCH_KEY, type PauseSwitch } from '@cryptominer-defense/core';
import {
  EMULATOR_CREDENTIALS,
  emulatorClientConfig,
  guardDutyFindingEvent,
  guardDutyLambdaFindingEvent,
  launchInstance,
  seedLambdaFunction,
} from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Responder } from '../../src/createResponder';
import { emulatorFaults } from '../support/emulatorFaults';
import { memberWrites } from '../support/memberWrites';
import { networkInterfacesInGroup } from '../support/networkInterfaceGroups';
import { reported } from '../support/reported';
import { REPORT_BUCKET, type ResponderWorld, startResponderWorld } from '../support/responderWorld';

let world: ResponderWorld;
let s3: S3Client;
const region = 'us-east-1';
const OPERATOR = 'arn:aws:sts::111111111111:assumed-role/CryptominerReleaseOperator/alice';
const PAUSED: PauseSwitch = {
  paused: true,
  reason: 'GuardDuty false-positive storm on the shared AMI',
  by: OPERATOR,
  at: '2026-12-02T10:00:00.000Z',
};
const SWITCH_TARGET = `s3://${REPORT_BUCKET}/${PAUSE_SWITCH_KEY}`;

beforeAll(async () => {
  world = await startResponderWorld(emulatorEndpoint(), { regions: [region] });
  s3 = new S3Client(emulatorClientConfig(world.endpoint, { credentials: EMULATOR_CREDENTIALS }));
}, 120_000);

afterAll(async () => {
  s3?.destroy();
  await world?.close();
});

/** Sets the switch as `cli pause` / `cli resume` leave it (an object), or any text, or removes it (null). */
async function setSwitch(content: PauseSwitch | string | null): Promise<void> {
  if (content === null) {
    await s3.send(new DeleteObjectCommand({ Bucket: REPORT_BUCKET, Key: PAUSE_SWITCH_KEY }));
    return;
  }
  const body = typeof content === 'string' ? content : JSON.stringify(content);
  await s3.send(new PutObjectCommand({ Bucket: REPORT_BUCKET, Key: PAUSE_SWITCH_KEY, Body: body }));
}

beforeEach(() => setSwitch(null));

const member = () => world.organization.member('workload-a');

/** A new running instance of workload-a, in its primary network, and what the tests read of it. */
async function freshInstance(name: string) {
  const layout = member().inRegion(region);
  const clients = await world.clientsOf(member().accountId, region);
  const instance = await launchInstance(clients.ec2, {
    subnetId: layout.primaryNetwork.subnetIds[0] ?? '',
    securityGroupIds: [layout.primaryNetwork.securityGroupId],
    name,
  });
  const state = async () =>
    (await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instance.instanceId] }))).Reservations?.[0]
      ?.Instances?.[0]?.State?.Name;
  const onOriginalGroup = async () =>
    (await networkInterfacesInGroup(clients.ec2, layout.primaryNetwork.securityGroupId)).filter((eni) =>
      instance.networkInterfaceIds.includes(eni),
    );
  return { ...instance, state, onOriginalGroup };
}

async function respond(responder: Responder, instanceId: string): Promise<IncidentReport> {
  const event = guardDutyFindingEvent({ accountId: member().accountId, region, instanceId });
  return world.readReport(reported(await responder.handle(event)).key);
}

/** How many times the responders asked S3 for the switch (a failed ask counts). */
const switchReads = () =>
  world.recorder.calls.filter((call) => call.action === 's3:GetObject' && call.input.Key === PAUSE_SWITCH_KEY).length;

const switchRecords = (report: IncidentReport) => report.steps.filter((step) => step.step === 'readPauseSwitch');

describe('the pause switch (responder-state/pause.json in the report bucket)', () => {
  it('paused: the response observes, says who paused it, when and why, and changes nothing in the member account', async () => {
    // Prepare
    const target = await freshInstance('paused');
    await setSwitch(PAUSED);
    const responder = world.createResponder();
    world.recorder.clear();

    // Act
    const report = await respond(responder, target.instanceId);

    // Assess
    expect(report.responseMode).toEqual({
      mode: 'observe',
      reason: `paused by ${OPERATOR} at 2026-12-02T10:00:00.000Z: GuardDuty false-positive storm on the shared AMI`,
    });
    expect(switchRecords(report)).toEqual([expect.objectContaining({ status: 'succeeded', target: SWITCH_TARGET })]);
    expect(memberWrites(world, member().accountId)).toEqual([]);
    expect(world.recorder.calls.filter((call) => call.accountId === member().accountId).length).toBeGreaterThan(0);
    expect(await target.state()).toBe('running');
    expect(await target.onOriginalGroup()).toEqual([...target.networkInterfaceIds].sort());
    expect(report.response).toMatchObject({ networkIsolated: false, instanceStopped: false });
  });

  it('paused: a Lambda function is not throttled either', async () => {
    // Prepare
    const functionOwner = world.organization.member('workload-b');
    const clients = await world.clientsOf(functionOwner.accountId, region);
    await seedLambdaFunction(clients, { functionName: 'miner-while-paused', reservedConcurrency: 4 });
    await setSwitch(PAUSED);
    const event = guardDutyLambdaFindingEvent({
      accountId: functionOwner.accountId,
      region,
      functionName: 'miner-while-paused',
    });
    world.recorder.clear();

    // Act
    const report = await world.readReport(reported(await world.createResponder().handle(event)).key);

    // Assess
    const concurrency = await clients.lambda.send(
      new GetFunctionConcurrencyCommand({ FunctionName: 'miner-while-paused' }),
    );
    expect(concurrency.ReservedConcurrentExecutions).toBe(4);
    expect(report.responseMode.reason).toMatch(/^paused by arn:aws:sts::111111111111:assumed-role\//);
    expect(memberWrites(world, functionOwner.accountId)).toEqual([]);
  });

  it('resumed (paused: false): the full response, and the switch is not in the report', async () => {
    // Prepare
    const target = await freshInstance('resumed');
    await setSwitch({ ...PAUSED, paused: false, reason: 'storm over', at: '2026-12-02T11:00:00.000Z' });

    // Act
    const report = await respond(world.createResponder(), target.instanceId);

    // Assess
    expect(report.responseMode.mode).toBe('full');
    expect(switchRecords(report)).toEqual([]);
    expect(await target.state()).toBe('stopped');
    expect(await target.onOriginalGroup()).toEqual([]);
  });

  it('is trusted for PAUSE_SWITCH_CACHE_SECONDS from when it was read, then read again', async () => {
    // Prepare: a clock the test moves; no switch yet (never paused).
    const [first, withinWindow, afterWindow] = await Promise.all(
      ['cache-1', 'cache-2', 'cache-3'].map((name) => freshInstance(name)),
    );
    let clock = Date.parse('2026-12-02T12:00:00.000Z');
    const responder = world.createResponder({ PAUSE_SWITCH_CACHE_SECONDS: '5' }, { now: () => new Date(clock) });
    world.recorder.clear();

    // Act
    const before = await respond(responder, first?.instanceId ?? '');
    await setSwitch(PAUSED);
    clock += 4_999;
    const cached = await respond(responder, withinWindow?.instanceId ?? '');
    const readsWithinWindow = switchReads();
    clock += 1;
    const reread = await respond(responder, afterWindow?.instanceId ?? '');

    // Assess
    expect([before.responseMode.mode, cached.responseMode.mode, reread.responseMode.mode]).toEqual([
      'full',
      'full',
      'observe',
    ]);
    expect(readsWithinWindow).toBe(1);
    expect(switchReads()).toBe(2);
    expect(await afterWindow?.state()).toBe('running');
  });

  it('malformed: the responder cannot know, so it observes, with the failed read in the report', async () => {
    // Prepare
    const target = await freshInstance('malformed');
    await setSwitch('{"paused":"yes","by":"someone"}');
    world.recorder.clear();

    // Act
    const report = await respond(world.createResponder(), target.instanceId);

    // Assess
    expect(report.responseMode.mode).toBe('observe');
    expect(report.responseMode.reason).toContain('could not be read (MalformedPauseSwitch)');
    expect(switchRecords(report)).toEqual([
      expect.objectContaining({
        status: 'failed',
        errorCode: 'MalformedPauseSwitch',
        errorMessage: expect.stringContaining('paused'),
      }),
    ]);
    expect(memberWrites(world, member().accountId)).toEqual([]);
    expect(await target.state()).toBe('running');
  });
});

describe('a pause switch S3 refuses to read (AccessDenied)', () => {
  const faults = emulatorFaults(() => world.endpoint);

  afterAll(() => faults.stop());

  it('observes with the failed read, and does not keep the failure: the next response reads it again', async () => {
    // Prepare: only the first read of the switch is refused; the clock stands still (well inside the cache window).
    const [refused, next] = await Promise.all(['denied-1', 'denied-2'].map((name) => freshInstance(name)));
    const proxy = await faults.start([
      { service: 's3', pathPrefix: `/${REPORT_BUCKET}/${PAUSE_SWITCH_KEY}`, fault: 'accessDenied', onCalls: [1] },
    ]);
    const now = new Date('2026-12-02T13:00:00.000Z');
    const responder = world.createResponder(
      { AWS_ENDPOINT_URL: proxy.endpoint, PAUSE_SWITCH_CACHE_SECONDS: '30' },
      { now: () => now },
    );
    world.recorder.clear();

    // Act
    const denied = await respond(responder, refused?.instanceId ?? '');
    const writesWhileDenied = memberWrites(world, member().accountId);
    const after = await respond(responder, next?.instanceId ?? '');

    // Assess
    expect(denied.responseMode.mode).toBe('observe');
    expect(denied.responseMode.reason).toContain('could not be read (AccessDenied)');
    expect(switchRecords(denied)).toEqual([
      expect.objectContaining({ status: 'failed', errorCode: 'AccessDenied', target: SWITCH_TARGET }),
    ]);
    expect(denied.response.manualInterventionRequired).toBe(true);
    expect(writesWhileDenied).toEqual([]);
    expect(await refused?.state()).toBe('running');
    expect(after.responseMode.mode).toBe('full');
    expect(switchReads()).toBe(2);
    expect(await next?.state()).toBe('stopped');
  });
});
