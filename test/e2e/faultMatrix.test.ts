import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  CENTRAL_ACCOUNT_STEPS,
  centralAccountActions,
  type IncidentReport,
  isolationLeftUndone,
  MEMBER_ACCOUNT_STEPS,
  type MemberAccountStepName,
  memberAccountActions,
  type StepDefinition,
  type StepRecord,
  stepDependencies,
  stepsInPhase,
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
const ADDED_LATENCY_MS = 500;

const STEPS: Readonly<Record<string, StepDefinition>> = { ...MEMBER_ACCOUNT_STEPS, ...CENTRAL_ACCOUNT_STEPS };
// Every AWS call the engine makes, from the registry the roles' policies are generated from.
const REGISTRY_ACTIONS = [...new Set([...memberAccountActions(), ...centralAccountActions()])].sort();
/**
 * Actions of a failed isolation's fallback only (closeConnectionCutGroup.ts, and the check that an emptied all-open
 * group is not reopened while an ENI is on it): a fault-free response never calls them, so no cell can fault them.
 * packages/responder/tests/emulator/isolationFailsClosed.test.ts faults them on the emulator instead.
 */
const FALLBACK_ONLY_ACTIONS = [
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSecurityGroupRules',
  'ec2:RevokeSecurityGroupIngress',
  // Lambda findings only (the baseline is an instance finding): packages/responder/tests/emulator/lambdaThrottle.test.ts
  // covers the throttle, a failed call included.
  'lambda:GetFunctionConcurrency',
  'lambda:PutFunctionConcurrency',
  // After the report, with SECURITY_HUB_UPDATES=on only (unset here): a failure is a failed step of a record beside
  // the report, which packages/responder/tests/emulator/securityHub.test.ts faults on the emulator.
  'securityhub:BatchImportFindings',
  'securityhub:BatchUpdateFindings',
];
const ENGINE_ACTIONS = REGISTRY_ACTIONS.filter((action) => !FALLBACK_ONLY_ACTIONS.includes(action));
/**
 * Before any change in the member account: a failure here must leave it untouched (a pause switch that cannot be
 * read means observe, docs/decisions/0018; it shares s3:GetObject with the claim, whose failure alone is absorbed;
 * a slot of the blast-radius cap that cannot be claimed keeps the response in observe: docs/decisions/0019).
 */
const GUARD_STEPS = ['verifyOrganizationMembership', 'assumeResponderRole', 'readPauseSwitch', 'claimContainmentSlot'];
/** Writing to the central bucket: when it fails, the invocation fails (and the response is in the log). */
const BUCKET_WRITE = 's3:PutObject';
/** A step and every step it waits for (the registry's `after`, followed): a failure in any of them may undo it. */
const dependsOn = (...steps: MemberAccountStepName[]) => [
  ...new Set(steps.flatMap((step) => [...stepDependencies(step), step])),
];
const ISOLATION_DEPENDS_ON = dependsOn('isolateNetworkInterfaces');
// Stopping waits for the instance to be out of its Auto Scaling group and its evidence kept.
const STOP_DEPENDS_ON = dependsOn('stopInstance');
const AUTO_SCALING_DEPENDS_ON = dependsOn('disableAutoScalingGroup');
const FREEZE_DEPENDS_ON = dependsOn(...stepsInPhase('freeze'));
/**
 * Reads whose failure the report records (it costs a person something: here undo cannot say whether termination
 * protection was on before) but that nothing waits on: containment completes all the same.
 */
const RECORDED_READS = ['ec2:DescribeInstanceAttribute'];

/** Every step that calls the action (one action can serve several steps, e.g. ec2:CreateTags). */
function stepsOf(action: string): string[] {
  return Object.keys(STEPS).filter((step) => STEPS[step]?.iamActions.includes(action));
}

function touches(action: string, steps: readonly string[]): boolean {
  return stepsOf(action).some((step) => steps.includes(step));
}

/** A call on the wire, as the proxy sees it: signing name and API operation. */
interface WireCall {
  readonly service: string;
  readonly operation: string;
}

/**
 * The calls behind an IAM action, as the fault-free responses made them (the recorder logs the SDK command:
 * s3:ListBucket is ListObjectsV2, s3:GetObject may be HeadObject too). The signing name is the IAM prefix.
 */
function wireCallsOf(action: string): WireCall[] {
  return [...(baselineOperations.get(action) ?? [])].map((operation) => ({
    service: action.split(':')[0] ?? '',
    operation,
  }));
}

let world: ReliabilityWorld;
let organization: SeededOrganization;
let member: AccountClients;
let alertTopicArn: string;
let cellCount = 0;
const baselineLogicalCalls = new Map<string, number>();
const baselineOperations = new Map<string, Set<string>>();

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
  readonly commands: readonly { readonly action: string; readonly operation: string }[];
}

/** One response, through a fresh handler (a cold start: no cached membership or credentials), as an SQS record. */
async function runCell(launcher: LauncherKind, faulted: boolean): Promise<CellRun> {
  cellCount += 1;
  const name = `cell-${cellCount}`;
  const target = await prepareFaultMatrixTarget(member, world.cloudTrail, name, launcher);
  const handler = world.createHandler(
    {
      AWS_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      ALERT_TOPIC_ARN: alertTopicArn,
      // An OU rule (that changes nothing: full is the default) makes the engine read the account's OUs.
      RESPONSE_POLICY: JSON.stringify({
        default: 'full',
        rules: [{ organizationalUnit: organization.organizationalUnits.Workloads, mode: 'full' }],
      }),
    },
    // Faulted calls are retried with the SDK's strategy and attempts, but short waits: the matrix takes minutes.
    { shortRetryWaits: faulted },
  );
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
    commands: world.recorder.calls
      .slice(recordedBefore)
      .map((call) => ({ action: call.action, operation: call.commandName.replace(/Command$/, '') })),
  };
}

function failedRecords(report: IncidentReport | undefined): StepRecord[] {
  return (report?.steps ?? []).filter((record) => record.status === 'failed');
}

function attemptsOf(action: string): number {
  const wire = wireCallsOf(action);
  return world.proxy.calls.filter((call) =>
    wire.some((candidate) => candidate.service === call.service && candidate.operation === call.operation),
  ).length;
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
      const run = await runCell(launcher, false);

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
      for (const { action, operation } of run.commands) {
        baselineOperations.set(action, new Set([...(baselineOperations.get(action) ?? []), operation]));
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
    expect([...baselineOperations.keys()].sort()).toEqual(ENGINE_ACTIONS);
  });
});

const cells = ENGINE_ACTIONS.flatMap((action) => FAULTS.map((fault) => [action, fault] as const));

describe.each(cells)('%s × %s', (action, fault) => {
  it('contains whenever containment’s own calls succeed, reports the failure, retries boundedly, loses nothing', {
    timeout: 60_000,
  }, async () => {
    // Prepare
    const launcher: LauncherKind = stepsOf(action).includes('freezeRole') ? 'role' : 'user';
    const wire = wireCallsOf(action);
    world.proxy.setRules(
      wire.map((call) => ({ ...call, fault, ...(fault === 'latency' ? { latencyMs: ADDED_LATENCY_MS } : {}) })),
    );

    // Act
    const run = await runCell(launcher, true);
    world.proxy.setRules([]);

    // Assess
    const attempts = attemptsOf(action);
    const logical = count(run.logicalCalls, action);
    expect(logical, 'the faulted call was made').toBeGreaterThan(0);
    // The engine may look a failed security group up once more later in the flow; a retry loop would go on.
    expect(logical, 'no hand-rolled retry loop: at most one more try than without the fault').toBeLessThanOrEqual(
      2 * (baselineLogicalCalls.get(action) ?? 0),
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
    // The code depends on the protocol and, for JSON services, on the service (Organizations: TooManyRequestsException).
    const faultedCall = world.proxy.calls.find((call) =>
      wire.some((candidate) => candidate.service === call.service && candidate.operation === call.operation),
    ) ?? { service: action.split(':')[0] ?? '', protocol: 'awsQuery' as const };
    const errorCode =
      fault === 'dropConnection'
        ? expect.stringMatching(/TimeoutError|ECONNRESET|EPIPE/)
        : injectedErrorCode(fault, faultedCall);
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
  if (action === BUCKET_WRITE) {
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
  if (report === undefined) throw new Error('a stored report was not read');
  // An ENI possibly left open fails the invocation after the report is stored: SQS delivers the finding again.
  const leftOpen = isolationLeftUndone(report.steps);
  if (leftOpen)
    expect(stepsOf(action), 'only a fault of the isolation leaves it undone').toContain('isolateNetworkInterfaces');
  expect(run.batchItemFailures).toEqual(leftOpen ? [{ itemIdentifier: run.messageId }] : []);
  if (stepsOf(action).includes('publishAlert')) {
    expect(world.logEntries()).toContainEqual(
      expect.objectContaining({ message: 'Could not publish the incident alert', errorCode }),
    );
    expect(report.response).toMatchObject(FULLY_CONTAINED);
    return;
  }
  if (failed.length === 0) {
    // The engine absorbed the failure (a best-effort read, a bucket read it can do without): nothing is lost.
    expect(report.response).toMatchObject(FULLY_CONTAINED);
    return;
  }
  expect(failed).toContainEqual(expect.objectContaining({ status: 'failed', errorCode }));
  // Something left undone in the account (or never reached) needs a person; the engine's own bookkeeping may not.
  const undone = failed.some((record) => record.step in MEMBER_ACCOUNT_STEPS || GUARD_STEPS.includes(record.step));
  if (undone) expect(report.response.manualInterventionRequired).toBe(true);
  if (RECORDED_READS.includes(action)) {
    expect(report.response).toMatchObject(FULLY_CONTAINED);
    expect(state).toMatchObject({ state: 'stopped', isolated: true });
    return;
  }
  if (touches(action, GUARD_STEPS)) {
    // Fail closed before changing the member account: reads at most (decision 0008), nothing changed.
    expect(memberCalls.filter((call) => !call.readOnly)).toEqual([]);
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
  // A flag is never claimed that the emulator's state does not back (a cautious false is allowed).
  if (report.response.instanceStopped) expect(state.state).toBe('stopped');
  if (report.response.networkIsolated) expect(state.isolated).toBe(true);
}
