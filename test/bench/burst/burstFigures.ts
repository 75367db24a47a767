import type { IncidentReport } from '@cryptominer-defense/core';
import type { ProxiedCall } from '@cryptominer-defense/testing';
import { type BurstRun, percentile, timeToIsolation } from '../../e2e/support/runBurst';

/** What `pnpm bench:burst` prints: throughput, time to isolation, and what it cost in AWS calls. */
export interface BurstFigures {
  readonly findings: number;
  readonly deliveries: number;
  readonly reported: number;
  readonly failedSteps: number;
  readonly wallSeconds: number;
  readonly findingsPerSecond: number;
  /** From the moment the whole burst arrived (every finding queued at once) to the last ENI isolated. */
  readonly isolationSinceArrivalMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** From the start of the invocation that handled the finding (queueing excluded). */
  readonly isolationSinceInvocationMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Every HTTP call to AWS (the emulator and the CloudTrail fake), retries included. */
  readonly awsCalls: number;
  readonly awsCallsPerFinding: number;
  readonly callsPerService: Readonly<Record<string, number>>;
  readonly throttledLookups: number;
  readonly coldStarts: number;
}

function spread(values: readonly number[]) {
  return {
    p50: Math.round(percentile(values, 0.5)),
    p99: Math.round(percentile(values, 0.99)),
    max: Math.round(Math.max(...values)),
  };
}

export function burstFigures(
  run: BurstRun,
  reports: readonly IncidentReport[],
  calls: readonly ProxiedCall[],
  throttledLookups: number,
): BurstFigures {
  const findings = new Set(run.invocations.map((invocation) => invocation.delivery.findingId)).size;
  const invocationStart = new Map(
    run.invocations.map((invocation) => [invocation.delivery.findingId, invocation.startedAt]),
  );
  const sinceArrival: number[] = [];
  const sinceInvocation: number[] = [];
  for (const report of reports) {
    const arrival = timeToIsolation(report, run.startedAt);
    if (arrival !== null) sinceArrival.push(arrival);
    const started = invocationStart.get(report.findingId);
    const invocation = started === undefined ? null : timeToIsolation(report, started);
    if (invocation !== null) sinceInvocation.push(invocation);
  }
  const wallSeconds = (run.endedAt - run.startedAt) / 1000;
  const callsPerService: Record<string, number> = {};
  for (const call of calls) callsPerService[call.service] = (callsPerService[call.service] ?? 0) + 1;
  return {
    findings,
    deliveries: run.invocations.length,
    reported: new Set(reports.map((report) => report.findingId)).size,
    failedSteps: reports.flatMap((report) => report.steps.filter((step) => step.status === 'failed')).length,
    wallSeconds: Math.round(wallSeconds * 10) / 10,
    findingsPerSecond: Math.round((findings / wallSeconds) * 10) / 10,
    isolationSinceArrivalMs: spread(sinceArrival),
    isolationSinceInvocationMs: spread(sinceInvocation),
    awsCalls: calls.length,
    awsCallsPerFinding: Math.round((calls.length / findings) * 10) / 10,
    callsPerService,
    throttledLookups,
    coldStarts: run.coldStarts,
  };
}

export function formatBurstFigures(figures: BurstFigures): string {
  const services = Object.entries(figures.callsPerService)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([service, count]) => `${service} ${count}`)
    .join(', ');
  return [
    `findings            ${figures.findings} (${figures.deliveries} deliveries), reported ${figures.reported}, failed steps ${figures.failedSteps}`,
    `wall time           ${figures.wallSeconds} s on ${figures.coldStarts} function instances`,
    `findings per second ${figures.findingsPerSecond}`,
    `time to isolation   p50 ${figures.isolationSinceArrivalMs.p50} ms, p99 ${figures.isolationSinceArrivalMs.p99} ms, max ${figures.isolationSinceArrivalMs.max} ms (from the burst's arrival)`,
    `                    p50 ${figures.isolationSinceInvocationMs.p50} ms, p99 ${figures.isolationSinceInvocationMs.p99} ms, max ${figures.isolationSinceInvocationMs.max} ms (from the invocation's start)`,
    `total AWS calls     ${figures.awsCalls} (${figures.awsCallsPerFinding} per finding; ${services})`,
    `CloudTrail          ${figures.throttledLookups} LookupEvents throttled (2 per second per account and region), retried by the SDK`,
  ].join('\n');
}
