import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { type Distribution, distributionOf, median } from './distribution';

export interface ColdImportMeasurement {
  readonly runs: number;
  /** `node -e 0`: the process alone. */
  readonly nodeAloneMs: Distribution;
  /** `node index.mjs`: the process, loading the bundle and creating the handler, as a Lambda init does. */
  readonly bundleMs: Distribution;
  /** median(bundle) ÷ median(node alone). */
  readonly ratio: number;
  /**
   * The floor (floor/isolationClientsOnly.ts: only the four clients isolation needs, bundled the same way), run in
   * the same alternation: no responder can load less at a cold start.
   */
  readonly floor: { readonly ms: Distribution; readonly ratio: number };
}

function timedRun(args: readonly string[], env: NodeJS.ProcessEnv): number {
  const startMs = performance.now();
  const result = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const elapsedMs = performance.now() - startMs;
  if (result.status !== 0) {
    throw new Error(
      `node ${args.join(' ')} failed (exit ${result.status}): ${result.stderr.toString('utf8').slice(0, 2_000)}`,
    );
  }
  return elapsedMs;
}

/**
 * Runs `node -e 0`, `node <bundle>` and `node <floor>` alternately, `runs` times each, with the environment the function has in
 * Lambda (its configuration, NODE_OPTIONS=--enable-source-maps), so both see the same machine load.
 */
export function measureColdImport(entry: string, floorEntry: string, runs: number): ColdImportMeasurement {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    AWS_REGION: 'us-east-1',
    REPORT_BUCKET: 'incident-reports',
    FINDING_QUEUE_ARN: 'arn:aws:sqs:us-east-1:111122223333:findings',
    NODE_OPTIONS: '--enable-source-maps',
  };
  const alone: number[] = [];
  const bundle: number[] = [];
  const floor: number[] = [];
  // One untimed run of each: the first read of a file is a disk read, not an import.
  timedRun(['-e', '0'], env);
  timedRun([entry], env);
  timedRun([floorEntry], env);
  for (let run = 0; run < runs; run++) {
    alone.push(timedRun(['-e', '0'], env));
    bundle.push(timedRun([entry], env));
    floor.push(timedRun([floorEntry], env));
  }
  const ratioTo = (times: readonly number[]) => Math.round((median(times) / median(alone)) * 100) / 100;
  return {
    runs,
    nodeAloneMs: distributionOf(alone),
    bundleMs: distributionOf(bundle),
    ratio: ratioTo(bundle),
    floor: { ms: distributionOf(floor), ratio: ratioTo(floor) },
  };
}
