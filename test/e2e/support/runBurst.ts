import type { IncidentReport } from '@cryptominer-defense/core';
import { guardDutyFindingEvent } from '@cryptominer-defense/testing';
import type { BurstTarget } from './burstOrganization';
import type { LambdaHandler } from './reliabilityWorld';

/** One delivery of a finding to the function (GuardDuty and EventBridge deliver at least once). */
export interface BurstDelivery {
  readonly findingId: string;
  readonly target: BurstTarget;
  readonly event: unknown;
}

export interface BurstInvocation {
  readonly delivery: BurstDelivery;
  /** Which function instance handled it (0 … concurrency-1). */
  readonly instance: number;
  /** When the invocation started and ended (epoch ms): a delivery waits in the queue until an instance is free. */
  readonly startedAt: number;
  readonly endedAt: number;
  readonly result?: Awaited<ReturnType<LambdaHandler>>;
  readonly error?: unknown;
}

export interface BurstRun {
  readonly invocations: readonly BurstInvocation[];
  readonly startedAt: number;
  readonly endedAt: number;
  /** Function instances created (cold starts). */
  readonly coldStarts: number;
}

/**
 * Every target's finding, as GuardDuty sends it; every `duplicateEvery`-th finding is sent again right behind
 * the first (GuardDuty re-sends an active finding: same finding id, a new event, the count one up), so two
 * function instances race for it.
 */
export function burstDeliveries(targets: readonly BurstTarget[], duplicateEvery = 0): BurstDelivery[] {
  return targets.flatMap((target, index) => {
    const findingId = `burst${String(index).padStart(5, '0')}${target.instanceId.replace('i-', '')}`;
    const delivery = { findingId, target, event: guardDutyFindingEvent({ ...target, findingId }) };
    if (duplicateEvery === 0 || index % duplicateEvery !== 0) return [delivery];
    return [delivery, { findingId, target, event: guardDutyFindingEvent({ ...target, findingId, count: 2 }) }];
  });
}

/**
 * Lambda-like concurrency: at most `concurrency` invocations at once, each on a function instance that handles
 * one event at a time; an instance is created (a cold start: new clients, empty caches) the first time it is
 * needed and reused after, as Lambda keeps warm instances. Every delivery is queued at the start (a burst).
 */
export async function runBurst(
  deliveries: readonly BurstDelivery[],
  concurrency: number,
  createHandler: () => LambdaHandler,
): Promise<BurstRun> {
  const queue = [...deliveries];
  const invocations: BurstInvocation[] = [];
  let coldStarts = 0;
  const startedAt = Date.now();
  async function functionInstance(instance: number): Promise<void> {
    let handler: LambdaHandler | undefined;
    for (let delivery = queue.shift(); delivery !== undefined; delivery = queue.shift()) {
      if (handler === undefined) {
        handler = createHandler();
        coldStarts += 1;
      }
      const started = Date.now();
      try {
        const result = await handler(delivery.event);
        invocations.push({ delivery, instance, startedAt: started, endedAt: Date.now(), result });
      } catch (error) {
        invocations.push({ delivery, instance, startedAt: started, endedAt: Date.now(), error });
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, (_, instance) => functionInstance(instance)));
  return { invocations, startedAt, endedAt: Date.now(), coldStarts };
}

/** When the last ENI of the report's instance was isolated, in ms after `since`; null if it was not. */
export function timeToIsolation(report: IncidentReport, since: number): number | null {
  const isolation = report.steps.filter((step) => step.step === 'isolateNetworkInterfaces');
  if (isolation.length === 0 || isolation.some((step) => step.status === 'failed')) return null;
  return Math.max(...isolation.map((step) => Date.parse(step.endedAt))) - since;
}

export function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}
