import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  CENTRAL_ACCOUNT_STEPS,
  centralAccountActions,
  type IncidentReport,
  MEMBER_ACCOUNT_STEPS,
  memberAccountActions,
  type StepDefinition,
  type StepRecord,
} from '@cryptominer-defense/core';
import {
  type AccountClients,
  accountClients,
  emulatorClientConfig,
  type FaultKind,
  guardDutyFindingEvent,
  injectedErrorCode,
  type SeededOrganization,
  seedOrganization,
} from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidReport } from './support/expectValidReport';
import {
  type FaultMatrixTarget,
  instanceState,
  type LauncherKind,
  prepareFaultMatrixTarget,
} from './support/faultMatrixTarget';
import { CENTRAL_ACCESS_KEY_ID, type ReliabilityWorld, startReliabilityWorld } from './support/reliabilityWorld';

const REGION = 'us-east-1';
// Three attempts per call instead of six: the SDK's standard variable, read by the engine's client factory.
const MAX_ATTEMPTS = 3;
const FAULTS: readonly FaultKind[] = ['throttle', 'serverError', 'accessDenied', 'dropConnection', 'latency'];
const ADDED_LATENCY_MS = 1_500;

const STEPS: Readonly<Record<string, StepDefinition>> = { ...MEMBER_ACCOUNT_STEPS, ...CENTRAL_ACCOUNT_STEPS };
// Every AWS call the engine makes, from the registry the roles' policies are generated from.
const ENGINE_ACTIONS = [...new Set([...memberAccountActions(), ...centralAccountActions()])].sort();
/** Before any change in the member account: a failure here must leave it untouched. */
const GUARD_STEPS = ['verifyOrganizationMembership', 'resolveOrganizationalUnits', 'assumeResponderRole'];
/** The central bucket: the report, and any state the engine keeps there; failing it fails the invocation. */
const BUCKET_SERVICE = 's3';
const ISOLATION_DEPENDS_ON = ['inspectInstance', 'isolateNetworkInterfaces'];
// Stopping waits for the instance to be out of its Auto Scaling group and its evidence kept.
const STOP_DEPENDS_ON = ['inspectInstance', 'disableAutoScalingGroup', 'preserveEvidence', 'stopInstance'];
const AUTO_SCALING_DEPENDS_ON = ['inspectInstance', 'disableAutoScalingGroup'];
const FREEZE_DEPENDS_ON = ['attributeLaunch', 'traceAutoScalingLaunch', 'freezeUser', 'freezeRole'];

/** Every step that calls the action (one action can serve several steps, e.g. ec2:CreateTags). */
function stepsOf(action: string): string[] {
  return Object.keys(STEPS).filter((step) => STEPS[step]?.iamActions.includes(action));
}

function touches(action: string, steps: readonly string[]): boolean {
  return stepsOf(action).some((step) => steps.includes(step));
}

/** IAM action → the call on the wire: signing name and operation (the engine's S3 actions are API names too). */
function wireCallOf(action: string): { service: string; operation: string } {
  const [service = '', operation = ''] = action.split(':');
  return { service, operation };
}

let world: ReliabilityWorld;
let organization: SeededOrganization;
let member: AccountClients;
let alertTopicArn: string;
let cellCount = 0;
const baselineLogicalCalls = new Map<string, number>();

beforeAll(async () => {
  const emulator = emulatorEndpoint();
  world = await startReliabilityWorld(emulator);
  organization = await seedOrganization(emulator, {
    regions: [REGION],
    members: [{ name: 'workload', organizationalUnit: 'Workloads' }],
  });
  member = await accountClients(emulator, organization.member('workload').accountId, REGION);
  const sns = new SNSClient(emulatorClientConfig(emulator));
  alertTopicArn = (await sns.send(new CreateTopicCommand({ Name: 'incident-alerts' }))).TopicArn ?? '';
  sns.destroy();
}, 120_000);

afterAll(async () => {
  member?.destroy();
  await world?.close();
});

interface CellRun {
  readonly target: FaultMatrixTarget;
  readonly messageId: string;
  readonly batchItemFailures: readonly { itemIdentifier: string }[];
  /** The report as stored, or (when the write failed) as logged; none when the engine stopped before it. */
  readonly report: IncidentReport | undefined;
  readonly stored: boolean;
  /** Logical calls (the recorder sits before the SDK's retries), as IAM actions. */
  readonly logicalCalls: readonly string[];
}

/** One response, through a fresh handler (a cold start: no cached membership or credentials), as an SQS record. */
async function runCell(launcher: LauncherKind): Promise<CellRun> {
  cellCount += 1;
  const name = `cell-${cellCount}`;
  const target = await prepareFaultMatrixTarget(member, world.cloudTrail, name, launcher);
  const handler = world.createHandler({
    AWS_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    ALERT_TOPIC_ARN: alertTopicArn,
    // An OU rule (that changes nothing: full is the default) makes the engine read the account's OUs.
    RESPONSE_POLICY: JSON.stringify({
      default: 'full',
      rules: [{ organizationalUnit: organization.organizationalUnits.Workloads, mode: 'full' }],
    }),
  });
  const event = guardDutyFindingEvent({ accountId: member.accountId, region: REGION, instanceId: target.instanceId });
  world.proxy.clearCalls();
  world.clearLogs();
  const recordedBefore = world.recorder.calls.length;
  const messageId = `${name}-message`;

  const result = await handler({ Records: [{ messageId, eventSource: 'aws:sqs', body: JSON.stringify(event) }] });

  if (!('batchItemFailures' in result)) throw new Error(`an SQS batch got ${JSON.stringify(result)}`);
  const logs = world.logEntries();
  const written = logs.find((entry) => entry.message === 'Incident report written');
  const unwritten = logs.find((entry) => entry.unwrittenReport !== undefined)?.unwrittenReport;
  const report =
    written === undefined ? (unwritten as IncidentReport | undefined) : await world.readReport(String(written.key));
  if (report !== undefined) expectValidReport(report);
  return {
    target,
    messageId,
    batchItemFailures: result.batchItemFailures,
    report,
    stored: written !== undefined,
    logicalCalls: world.recorder.calls.slice(recordedBefore).map((call) => call.action),
  };
}

function failedRecords(report: IncidentReport | undefined): StepRecord[] {
  return (report?.steps ?? []).filter((record) => record.status === 'failed');
}

function attemptsOf(action: string): number {
  const { service, operation } = wireCallOf(action);
  return world.proxy.calls.filter((call) => call.service === service && call.operation === operation).length;
}

function count(actions: readonly string[], action: string): number {
  return actions.filter((candidate) => candidate === action).length;
}

const FULLY_CONTAINED = { networkIsolated: true, asgDisabled: true, instanceStopped: true, actorFrozen: true };

describe('the registry and the recorder agree', () => {
  it.each(['user', 'role'] as const)(
    'a fault-free response launched by a %s calls only registry actions',
    async (launcher) => {
      // Prepare
      world.proxy.setRules([]);

      // Act
      const run = await runCell(launcher);

      // Assess
      expect(run.batchItemFailures).toEqual([]);
      expect(failedRecords(run.report)).toEqual([]);
      expect(run.report?.response).toMatchObject(FULLY_CONTAINED);
      for (const action of run.logicalCalls) {
        expect(ENGINE_ACTIONS).toContain(action);
        baselineLogicalCalls.set(
          action,
          Math.max(baselineLogicalCalls.get(action) ?? 0, count(run.logicalCalls, action)),
        );
      }
    },
  );

  it('every client the engine created retries with the SDK’s adaptive mode, bounded by AWS_MAX_ATTEMPTS', async () => {
    // Assess
    expect(world.clients.length).toBeGreaterThan(0);
    for (const client of world.clients) {
      const strategy = await client.config.retryStrategy();
      expect('mode' in strategy ? strategy.mode : undefined).toBe('adaptive');
      expect(await client.config.maxAttempts()).toBe(MAX_ATTEMPTS);
    }
  });

  it('between them, the two responses called every action of the registry (so the matrix covers them all)', () => {
    // Assess
    expect([...baselineLogicalCalls.keys()].sort()).toEqual(ENGINE_ACTIONS);
  });
});

const cells = ENGINE_ACTIONS.flatMap((action) => FAULTS.map((fault) => [action, fault] as const));

describe.each(cells)('%s × %s', (action, fault) => {
  it('contains whenever containment’s own calls succeed, reports the failure, retries boundedly, loses nothing', {
    timeout: 60_000,
  }, async () => {
    // Prepare
    const launcher: LauncherKind = stepsOf(action).includes('freezeRole') ? 'role' : 'user';
    const wire = wireCallOf(action);
    world.proxy.setRules([{ ...wire, fault, ...(fault === 'latency' ? { latencyMs: ADDED_LATENCY_MS } : {}) }]);

    // Act
    const run = await runCell(launcher);
    world.proxy.setRules([]);

    // Assess
    const attempts = attemptsOf(action);
    const logical = count(run.logicalCalls, action);
    expect(logical, 'the faulted call was made').toBeGreaterThan(0);
    expect(logical, 'no hand-rolled retry: no more logical calls than without the fault').toBeLessThanOrEqual(
      baselineLogicalCalls.get(action) ?? 0,
    );
    if (fault === 'latency') {
      expect(attempts).toBe(logical);
      expect(failedRecords(run.report)).toEqual([]);
      expect(run.batchItemFailures).toEqual([]);
      expect(run.report?.response).toMatchObject(FULLY_CONTAINED);
      return;
    }
    // The SDK retries throttling, 5xx and dropped connections up to MAX_ATTEMPTS; AccessDenied not at all.
    expect(attempts).toBe(fault === 'accessDenied' ? logical : logical * MAX_ATTEMPTS);
    const protocol = world.proxy.calls.find((call) => call.operation === wire.operation)?.protocol ?? 'awsQuery';
    const errorCode =
      fault === 'dropConnection'
        ? expect.stringMatching(/TimeoutError|ECONNRESET|EPIPE/)
        : injectedErrorCode(fault, protocol);
    await assessFailure(action, errorCode, run);
  });
});

async function assessFailure(action: string, errorCode: unknown, run: CellRun): Promise<void> {
  const { report } = run;
  const state = await instanceState(member, run.target);
  const memberCalls = world.proxy.calls.filter((call) => call.accessKeyId !== CENTRAL_ACCESS_KEY_ID);
  const failed = failedRecords(report);
  // Every failed step is one that calls the faulted action, and says so with the AWS error code.
  expect(
    failed.filter((record) => !stepsOf(action).includes(record.step)),
    'only steps calling the action fail',
  ).toEqual([]);
  if (wireCallOf(action).service === BUCKET_SERVICE) {
    // The central bucket failed: the invocation fails, so SQS redelivers the record and finally dead-letters
    // it; whatever was done is in the log.
    expect(run.stored).toBe(false);
    expect(run.batchItemFailures).toEqual([{ itemIdentifier: run.messageId }]);
    expect(world.logEntries()).toContainEqual(expect.objectContaining({ messageId: run.messageId }));
    // Nothing lost: either the response happened and its full report is in the log, or nothing was changed yet.
    if (report === undefined) expect(world.memberAccountMutations()).toEqual([]);
    if (report?.response.networkIsolated) expect(state.isolated).toBe(true);
    return;
  }
  expect(run.stored, 'the report is stored').toBe(true);
  expect(run.batchItemFailures).toEqual([]);
  if (report === undefined) throw new Error('a stored report was not read');
  if (stepsOf(action).includes('publishAlert')) {
    expect(world.logEntries()).toContainEqual(
      expect.objectContaining({ message: 'Could not publish the incident alert', errorCode }),
    );
    expect(report.response).toMatchObject(FULLY_CONTAINED);
    return;
  }
  expect(failed).toContainEqual(expect.objectContaining({ status: 'failed', errorCode }));
  expect(report.response.manualInterventionRequired).toBe(true);
  if (touches(action, GUARD_STEPS)) {
    // Fail closed before the member account: nothing there was called, let alone changed.
    expect(memberCalls).toEqual([]);
    expect(report.response).toMatchObject({ networkIsolated: false, instanceStopped: false, actorFrozen: false });
    expect(state.state).toBe('running');
    return;
  }
  // Containment completes whenever its own calls succeed; a step fails only what depends on it.
  const isolated = !touches(action, ISOLATION_DEPENDS_ON);
  const stopped = !touches(action, STOP_DEPENDS_ON);
  if (isolated) expect(report.response.networkIsolated).toBe(true);
  if (stopped) expect(report.response.instanceStopped).toBe(true);
  if (!touches(action, AUTO_SCALING_DEPENDS_ON)) expect(report.response.asgDisabled).toBe(true);
  if (!touches(action, FREEZE_DEPENDS_ON)) expect(report.response.actorFrozen).toBe(true);
  expect(state.state === 'stopped').toBe(report.response.instanceStopped);
  expect(state.isolated).toBe(report.response.networkIsolated);
}
