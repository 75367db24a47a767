import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { type IncidentReport, InvalidFindingEventError } from '@cryptominer-defense/core';
import {
  accountClients,
  launchInstance,
  type SeededOrganization,
  seedOrganization,
} from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectValidReport } from './support/expectValidReport';
import {
  asLambdaEvent,
  type CorpusPlaceholders,
  type HostileCase,
  hostileCases,
  hostileCaseText,
} from './support/hostileInputCorpus';
import { type LambdaHandler, type ReliabilityWorld, startReliabilityWorld } from './support/reliabilityWorld';

const REGION = 'us-east-1';
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const cases = hostileCases();
// A few cases through the CLI too: one per outcome (a subprocess each, so not all of them).
const CLI_CASES = new Set([
  '01-truncated-json.txt',
  '11-wrong-source.json',
  '35-non-crypto-type.json',
  '38-instance-id-path-traversal.json',
  '46-account-outside-organization.json',
  '49-instance-terminated.json',
]);

let world: ReliabilityWorld;
let organization: SeededOrganization;
let placeholders: CorpusPlaceholders;
let handler: LambdaHandler;
let scratch: string;

beforeAll(async () => {
  const emulator = emulatorEndpoint();
  world = await startReliabilityWorld(emulator);
  organization = await seedOrganization(emulator, { regions: [REGION] });
  const member = organization.member('workload-a');
  const seeded = member.inRegion(REGION);
  const clients = await accountClients(emulator, member.accountId, REGION);
  const doomed = await launchInstance(clients.ec2, {
    name: 'already-terminated',
    subnetId: seeded.primaryNetwork.subnetIds[0],
    securityGroupIds: [seeded.primaryNetwork.securityGroupId],
  });
  await clients.ec2.send(new TerminateInstancesCommand({ InstanceIds: [doomed.instanceId] }));
  clients.destroy();
  placeholders = {
    centralAccountId: organization.centralAccountId,
    memberAccountId: member.accountId,
    otherMemberAccountId: organization.member('workload-b').accountId,
    outsideAccountId: organization.outsideAccountId,
    runningInstanceId: seeded.standaloneInstance.instanceId,
    terminatedInstanceId: doomed.instanceId,
    missingInstanceId: 'i-0123456789abcdef0',
  };
  // One warm handler for the whole corpus, as one Lambda instance would serve a stream of events.
  handler = world.createHandler();
  scratch = mkdtempSync(join(tmpdir(), 'hostile-inputs-'));
}, 120_000);

afterAll(async () => {
  await world?.close();
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

beforeEach(() => {
  world.proxy.clearCalls();
  world.clearLogs();
});

/** Fails unless the S3 key is the documented layout with no path tricks in it. */
function expectSafeReportKey(key: string, accountId: string): void {
  expect(key).toMatch(
    new RegExp(
      // A later delivery of the same finding writes beside the first report: `….delivery-<attempt>.json`. An
      // instance's report names the finding after the epoch second (two findings of one instance, one second).
      `^incidents/${accountId}/[a-z0-9-]+/\\d{4}/\\d{2}/\\d{2}/(i-[0-9a-f]{8,17}-\\d+-[\\w.:-]+|finding-[\\w.:-]+-\\d+)(\\.delivery-\\d+)?\\.json$`,
    ),
  );
  expect(Buffer.byteLength(key)).toBeLessThanOrEqual(1024);
}

function expectReportSays(report: IncidentReport, hostile: HostileCase): void {
  const { outcome, says } = hostile.expect;
  expect(report.response.networkIsolated).toBe(false);
  expect(report.response.instanceStopped).toBe(false);
  expect(report.response.actorFrozen).toBe(false);
  expect(report.response.manualInterventionRequired).toBe(true);
  if (outcome === 'refused' || outcome === 'needs-person') {
    expect(report.disposition).toBe(outcome);
    expect(report.dispositionReason).toContain(says);
  } else {
    expect(report.disposition).toBe('responded');
    expect(JSON.stringify(report.manualInterventionReasons)).toContain(says);
  }
}

function expectNothingChangedInMembers(): void {
  expect(world.memberAccountMutations()).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

describe('hostile input corpus', () => {
  it('holds at least 40 cases, each a file with an expected outcome', () => {
    // Assess
    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const hostile of cases) expect(hostile.expect.says, hostile.file).not.toBe('');
    expect(cases.filter((hostile) => CLI_CASES.has(hostile.file))).toHaveLength(CLI_CASES.size);
  });

  describe.each(cases.map((hostile) => [hostile.file, hostile] as const))('%s', (_file, hostile) => {
    it(`as an EventBridge event to the Lambda handler: ${hostile.expect.outcome}`, async () => {
      // Prepare
      const event = asLambdaEvent(hostileCaseText(hostile, placeholders));

      // Act
      const outcome = await handler(event).then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      );

      // Assess
      const { says } = hostile.expect;
      switch (hostile.expect.outcome) {
        case 'invalid':
          expect('error' in outcome && outcome.error).toBeInstanceOf(InvalidFindingEventError);
          expect('error' in outcome && String(outcome.error)).toContain(says);
          break;
        case 'ignored':
          expect(outcome).toEqual({ result: { ignored: expect.stringContaining(says) } });
          break;
        default: {
          if (!('result' in outcome) || !('reportKey' in outcome.result)) {
            throw new Error(`expected a report, got ${String('error' in outcome ? outcome.error : outcome.result)}`);
          }
          expectSafeReportKey(outcome.result.reportKey, (await reportFor(outcome.result.reportKey)).accountId);
          expectReportSays(await reportFor(outcome.result.reportKey), hostile);
        }
      }
      expectNothingChangedInMembers();
    });

    it('wrapped in an SQS record: handled or dropped, never redelivered', async () => {
      // Prepare
      const text = hostileCaseText(hostile, placeholders);
      const batch = { Records: [{ messageId: `msg-${hostile.file}`, eventSource: 'aws:sqs', body: text }] };

      // Act
      const result = await handler(batch);

      // Assess
      expect(result).toEqual({ batchItemFailures: [] });
      const logged = world.logEntries();
      const { outcome, says } = hostile.expect;
      if (outcome === 'invalid') {
        expect(logged).toContainEqual(
          expect.objectContaining({
            message: expect.stringContaining('Dropped'),
            error: expect.stringContaining(says),
          }),
        );
      } else if (outcome === 'ignored') {
        expect(logged).toContainEqual(expect.objectContaining({ reason: expect.stringContaining(says) }));
      } else {
        const written = logged.find((entry) => entry.message === 'Incident report written');
        expect(written?.key).toEqual(expect.any(String));
        expectReportSays(await reportFor(String(written?.key)), hostile);
      }
      expectNothingChangedInMembers();
    });

    if (!CLI_CASES.has(hostile.file)) return;
    it('through cli respond: exit code and one clear answer', async () => {
      // Prepare
      const file = join(scratch, hostile.file);
      writeFileSync(file, hostileCaseText(hostile, placeholders));

      // Act
      // Asynchronously: the proxy the CLI talks to runs in this process.
      const run = await runCli(['respond', '--event', file]);

      // Assess
      const { outcome, says } = hostile.expect;
      if (outcome === 'invalid') {
        expect(run.status).toBe(2);
        expect(run.stdout).toBe('');
        expect(run.stderr.trim().split('\n')).toHaveLength(1);
        expect(run.stderr).toContain(says);
      } else {
        expect(run.status, run.stderr).toBe(0);
        const answer = JSON.parse(run.stdout) as IncidentReport | { ignored: string };
        if (outcome === 'ignored') expect(answer).toEqual({ ignored: expect.stringContaining(says) });
        else expectReportSays(answer as IncidentReport, hostile);
      }
      expectNothingChangedInMembers();
    });
  });
});

function runCli(args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'apps/cli/src/main.ts', ...args],
      { cwd: REPO_ROOT, env: { ...process.env, ...world.env }, encoding: 'utf8', timeout: 60_000 },
      (error, stdout, stderr) => {
        const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ status, stdout, stderr });
      },
    );
  });
}

async function reportFor(key: string): Promise<IncidentReport> {
  const report = await world.readReport(key);
  expectValidReport(report);
  return report;
}
