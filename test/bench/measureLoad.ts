import { performance } from 'node:perf_hooks';
import { inBatches } from '../e2e/support/burstOrganization';
import { percentile } from '../e2e/support/runBurst';
import type { BenchTarget, BenchWorld, LambdaHandler } from './benchWorld';
import { type EmulatorBusy, emulatorBusyBetween } from './emulatorBusy';
import { callsByOperationOf, expectIsolated, lastEniMove } from './measureResponses';

/**
 * - `oneHandler`: every finding to one new handler at once (one container's clients, caches and sockets shared
 *   by concurrent responses: what "within a container" means for the engine's own ordering).
 * - `handlerPerFinding`: each finding to its own new handler (Lambda scaling out: N cold containers).
 */
export const LOAD_MODES = ['oneHandler', 'handlerPerFinding'] as const;
export type LoadMode = (typeof LOAD_MODES)[number];

/** p50 and p99 of the incidents of one run, in ms and as multiples of the injected latency. */
export interface LoadPercentiles {
  readonly ms: { readonly p50: number; readonly p99: number };
  readonly roundTrips: { readonly p50: number; readonly p99: number };
}

export interface LoadRun {
  readonly findings: number;
  readonly mode: LoadMode;
  /** From the moment every finding was delivered to the end of its last ENI's final move. */
  readonly isolation: LoadPercentiles;
  /** From the same moment to the return of the handler call that took the finding (report written). */
  readonly wholeResponse: LoadPercentiles;
  /** Calls on the wire (through the proxy, retries included) ÷ findings. */
  readonly awsCallsPerIncident: number;
  /** `service:Operation` → calls on the wire, every incident of the run together. */
  readonly callsByOperation: Readonly<Record<string, number>>;
  /** The emulator while the run was being isolated: from the delivery to the last incident's last ENI move. */
  readonly emulatorToIsolation: EmulatorBusy;
}

const SEEDING_BATCH = 5;
/** CIDR indices of the load runs' VPCs, clear of the iterations' (0, 1, …). */
const FIRST_LOAD_NETWORK = 200;

const round = (value: number) => Math.round(value * 10) / 10;

function percentilesOf(samples: readonly number[], addedLatencyMs: number): LoadPercentiles {
  const [p50, p99] = [percentile(samples, 0.5), percentile(samples, 0.99)];
  return {
    ms: { p50: round(p50), p99: round(p99) },
    roundTrips: { p50: round(p50 / addedLatencyMs), p99: round(p99 / addedLatencyMs) },
  };
}

async function runOnce(
  world: BenchWorld,
  targets: readonly BenchTarget[],
  mode: LoadMode,
  addedLatencyMs: number,
): Promise<LoadRun> {
  const shared = world.createHandler();
  const handlers: LambdaHandler[] = targets.map(() => (mode === 'oneHandler' ? shared : world.createHandler()));
  world.proxy.clearCalls();
  const startMs = performance.now();
  const wholeMs = await Promise.all(
    targets.map(async (target, index) => {
      const result = await (handlers[index] ?? shared)(target.event);
      if (!('reportKey' in result)) throw new Error(`The handler wrote no report: ${JSON.stringify(result)}`);
      return performance.now() - startMs;
    }),
  );
  const calls = world.timeline.callsSince(startMs);
  const isolatedMs = targets.map((target) => lastEniMove(calls, target).endMs - startMs);
  await inBatches(targets, SEEDING_BATCH, (target) => expectIsolated(world, target));
  return {
    findings: targets.length,
    mode,
    isolation: percentilesOf(isolatedMs, addedLatencyMs),
    wholeResponse: percentilesOf(wholeMs, addedLatencyMs),
    awsCallsPerIncident: round(world.proxy.calls.length / targets.length),
    callsByOperation: callsByOperationOf(world),
    emulatorToIsolation: emulatorBusyBetween(world.proxy.calls, startMs, startMs + Math.max(...isolatedMs)),
  };
}

/**
 * For each size and mode: a new VPC of the one member account with `findings` instances (each alone in its Auto
 * Scaling group, two ENIs, its own launcher), whose findings are all delivered at the same moment. A new VPC per
 * run, so each starts alike: the isolation group must be created, and concurrent responses race for it.
 */
export async function measureLoad(
  world: BenchWorld,
  sizes: readonly number[],
  addedLatencyMs: number,
  progress: (line: string) => void,
): Promise<LoadRun[]> {
  const runs: LoadRun[] = [];
  let networkIndex = FIRST_LOAD_NETWORK;
  for (const findings of sizes) {
    for (const mode of LOAD_MODES) {
      const name = `load-${findings}-${mode}`;
      const network = await world.createNetwork(name, networkIndex++);
      const indices = Array.from({ length: findings }, (_, index) => index);
      const targets = await inBatches(indices, SEEDING_BATCH, (index) =>
        world.createTarget(network, `${name}-${index}`),
      );
      runs.push(await runOnce(world, targets, mode, addedLatencyMs));
      progress(`load: ${findings} findings at once, ${mode} done`);
    }
  }
  return runs;
}
