import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { INCIDENT_REPORT_PREFIX, type IncidentReport } from '@cryptominer-defense/core';
import { listIncidentReportObjects, readIncidentReport } from '@cryptominer-defense/release';
import { createLambdaHandler, type LambdaResult, type ResponderLogger } from '@cryptominer-defense/responder';
import {
  AwsActionRecorder,
  applyEnvironment,
  emulatorClientConfig,
  guardDutyFindingEvent,
} from '@cryptominer-defense/testing';
import type { CommandIO } from '../command';
import { writeOutput } from '../output/outputFormat';
import { createProgress, type Progress } from '../output/progress';
import { wrapLines } from '../output/wrapLines';
import { checkContainment } from './checkContainment';
import { installFindingsRule, putFindingEvents, type SqsLambdaEvent } from './deliverThroughEventBridge';
import { DEMO_MEMBERS, DEMO_REGIONS } from './demoIncidents';
import { type DemoOutcome, demoSummary, demoSummaryRows } from './demoSummary';
import { type DemoWorld, seedDemoWorld } from './seedDemoWorld';

export interface DemoOptions {
  /** Where the local copy of the reports goes (its incidents/ folder is replaced). */
  readonly outputDirectory: string;
  /** The summary as a table (for a person) or as JSON (every value in full). */
  readonly output: 'table' | 'json';
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/**
 * The engine's log, turned into progress: a line per incident as its report is written, then a line per
 * step of it (read back from the bucket), warnings and errors as they come.
 */
function progressLogger(
  progress: Progress,
  readReport: (key: string) => Promise<IncidentReport>,
): { logger: ResponderLogger; settled(): Promise<void> } {
  let chain: Promise<void> = Promise.resolve();
  let count = 0;
  const logger: ResponderLogger = {
    info(message, ...attributes) {
      const key = attributes[0]?.key;
      if (message !== 'Incident report written' || typeof key !== 'string') return;
      const number = ++count;
      chain = chain.then(async () => {
        const report = await readReport(key);
        progress.line(
          `  ✔ incident ${number}: ${report.instanceId} in ${report.accountId}/${report.region} (${report.guarddutyFindingType}) → report written`,
        );
        for (const step of report.steps) {
          const name = step.action === undefined ? step.step : `${step.step}.${step.action}`;
          const detail =
            step.status === 'failed'
              ? ` ${step.errorCode}`
              : step.status === 'succeeded'
                ? ''
                : ` (${step.reason ?? ''})`;
          progress.line(
            `      ${step.status.padEnd(12)} ${name}${step.target === undefined ? '' : ` ${step.target}`}${detail}`,
          );
        }
      });
    },
    warn(message, ...attributes) {
      progress.line(`  ! ${message} ${JSON.stringify(attributes[0] ?? {})}`);
    },
    error(message, ...attributes) {
      progress.line(`  ✘ ${message} ${JSON.stringify(attributes[0] ?? {})}`);
    },
  };
  return { logger, settled: () => chain };
}

async function readAllReports(s3: S3Client, bucket: string): Promise<Map<string, IncidentReport>> {
  const reports = new Map<string, IncidentReport>();
  for await (const page of listIncidentReportObjects(s3, bucket)) {
    for (const { key } of page) reports.set(key, await readIncidentReport(s3, bucket, key));
  }
  return reports;
}

async function copyReports(reports: ReadonlyMap<string, IncidentReport>, directory: string): Promise<void> {
  await rm(join(directory, INCIDENT_REPORT_PREFIX), { recursive: true, force: true });
  for (const [key, report] of reports) {
    const path = join(directory, key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
  }
}

/** Puts the findings on the bus and hands what the rule delivers to the central Lambda handler, batch by batch. */
export async function respondThroughEventBridge(world: DemoWorld, progress: Progress, s3: S3Client) {
  const { organization, incidents, endpoint } = world;
  const events = incidents.map((incident) => ({
    incident,
    event: guardDutyFindingEvent({
      accountId: incident.accountId,
      region: incident.region,
      instanceId: incident.instanceId,
      type: incident.findingType,
      adminAccountId: organization.centralAccountId,
      networkInterfaces: incident.networkInterfaceIds.map((networkInterfaceId) => ({
        networkInterfaceId,
        vpcId: incident.vpcId,
        securityGroupIds: [incident.originalSecurityGroupId],
      })),
    }),
  }));
  progress.line(`GuardDuty raises ${events.length} findings:`);
  for (const { incident, event } of events) {
    progress.line(
      `  ${event.detail.id}  ${incident.findingType} on ${incident.instanceId} (${incident.memberName}, ${incident.region}): ${incident.title}`,
    );
  }

  const queues = await Promise.all(DEMO_REGIONS.map((region) => installFindingsRule(endpoint, region)));
  const batches: SqsLambdaEvent[] = [];
  try {
    for (const queue of queues) {
      await putFindingEvents(
        endpoint,
        queue.region,
        events.filter(({ incident }) => incident.region === queue.region).map(({ event }) => event),
      );
      batches.push(...(await queue.receiveBatches()));
    }
  } finally {
    for (const queue of queues) queue.destroy();
  }
  const delivered = new Set(
    batches.flatMap((batch) => batch.Records.map((record) => String(JSON.parse(record.body).detail?.id))),
  );
  const heldBack = events.filter(({ event }) => !delivered.has(String(event.detail.id)));
  progress.line(
    `EventBridge (core's crypto-mining pattern, a rule per region → SQS) delivered ${delivered.size} of ${events.length}` +
      (heldBack.length === 0
        ? '.'
        : `; held back: ${heldBack.map(({ incident }) => incident.findingType).join(', ')}.`),
  );

  const recorder = new AwsActionRecorder();
  const { logger, settled } = progressLogger(progress, (key) => readIncidentReport(s3, world.bucket, key));
  // The handler accepts SQS records from its own queue only (FINDING_QUEUE_ARN): one per queue of the demo.
  const handlers = new Map<string, ReturnType<typeof createLambdaHandler>>();
  const handlerOf = (queueArn: string) => {
    const known = handlers.get(queueArn);
    if (known !== undefined) return known;
    const env = { ...world.env, FINDING_QUEUE_ARN: queueArn };
    const created = createLambdaHandler({ env, logger, configureClient: recorder.hook() });
    handlers.set(queueArn, created);
    return created;
  };
  const failures: string[] = [];
  for (const [index, batch] of batches.entries()) {
    const handler = handlerOf(batch.Records[0]?.eventSourceARN ?? '');
    progress.line(
      `The central Lambda handler gets SQS batch ${index + 1} of ${batches.length} (${batch.Records.length} finding(s)):`,
    );
    const label = () => {
      const last = recorder.calls.at(-1);
      return `responding… ${recorder.calls.length} AWS calls${last === undefined ? '' : `, last ${last.action} in ${last.accountId ?? '?'}/${last.region ?? '?'}`}`;
    };
    const result: LambdaResult = await progress.spin(label, handler(batch));
    if ('batchItemFailures' in result) failures.push(...result.batchItemFailures.map((item) => item.itemIdentifier));
    await settled();
  }
  return { events, failures, awsCalls: recorder.calls.length };
}

/**
 * The demo: an organization-wide crypto-mining incident, end to end, on the local emulator. Progress goes to
 * stderr, the summary to stdout. Resolves to the exit code: 0 when every expected containment is in the
 * emulator's state, 1 otherwise.
 */
export async function runDemo(io: CommandIO, options: DemoOptions): Promise<number> {
  const started = Date.now();
  const progress = createProgress(io.stderr);
  progress.line('An organization-wide crypto-mining incident, end to end, on a local AWS emulator (moto, 127.0.0.1).');
  const world = await progress.spin('Starting the emulator and seeding the organization…', seedDemoWorld());
  const restoreEnvironment = applyEnvironment(world.env);
  const s3 = new S3Client(emulatorClientConfig(world.endpoint));
  try {
    const { organization } = world;
    progress.line(
      `Organization ${organization.organizationId}: delegated admin ${organization.centralAccountId} (OU Security); ` +
        `members ${DEMO_MEMBERS.map((member) => `${member.name} ${organization.member(member.name).accountId} (OU ${member.organizationalUnit})`).join(', ')}; ` +
        `regions ${DEMO_REGIONS.join(', ')}. Seeded in ${seconds(started)}.`,
    );
    const { events, failures, awsCalls } = await respondThroughEventBridge(world, progress, s3);

    const reports = await readAllReports(s3, world.bucket);
    const byFindingId = new Map([...reports.values()].map((report) => [report.findingId, report]));
    const findingIdOf = new Map(events.map(({ incident, event }) => [incident, String(event.detail.id)]));
    progress.line("Checking the emulator's state (not the reports' word for it)…");
    const checked = await checkContainment(
      world.endpoint,
      world.incidents,
      byFindingId,
      (incident) => findingIdOf.get(incident) ?? '',
    );
    const outcomes: DemoOutcome[] = world.incidents.map((incident) => ({
      incident,
      report: byFindingId.get(findingIdOf.get(incident) ?? ''),
      checks: checked.get(incident) ?? [],
    }));
    for (const outcome of outcomes) {
      for (const result of outcome.checks) {
        progress.line(
          `  ${result.passed ? '✔' : '✘'} ${outcome.incident.instanceId} ${result.title}: ${result.detail}`,
        );
      }
    }
    await copyReports(reports, options.outputDirectory);

    const failedChecks = outcomes.flatMap((outcome) => outcome.checks.filter((result) => !result.passed));
    const passed = failedChecks.length === 0 && failures.length === 0;
    const rows = demoSummaryRows(outcomes);
    const localCopy = join(options.outputDirectory, INCIDENT_REPORT_PREFIX);
    writeOutput(io, options.output, {
      json: () => ({ passed, incidents: rows, reports: { count: reports.size, localCopy }, awsCalls }),
      table: () =>
        `\n${demoSummary(rows)}\n\n` +
        wrapLines(
          `Reports: ${reports.size} in the emulated central bucket s3://${world.bucket}/${INCIDENT_REPORT_PREFIX} (gone when the emulator stops)\n` +
            `         local copy in ${localCopy}\n` +
            (passed
              ? `Every expected containment is in the emulator's state (${awsCalls} AWS calls by the responder). Done in ${seconds(started)}.`
              : `CONTAINMENT INCOMPLETE: ${failedChecks.length} check(s) failed${failures.length > 0 ? `, ${failures.length} SQS record(s) not handled` : ''}. Done in ${seconds(started)}.`),
        ),
    });
    return passed ? 0 : 1;
  } finally {
    s3.destroy();
    restoreEnvironment();
    await world.stop();
    progress.line('Emulator stopped.');
  }
}
