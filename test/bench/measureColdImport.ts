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
  /**
   * The figures above are taken with `kept` only (a Lambda-like environment); `removed` are the variables of
   * this machine that change how node starts and that Lambda does not set (names only).
   */
  readonly environment: { readonly kept: readonly string[]; readonly removed: readonly string[] };
  /** `node -e 0` and the bundle with this machine's environment (plus the function's configuration). */
  readonly withMachineEnvironment: {
    readonly nodeAloneMs: Distribution;
    readonly bundleMs: Distribution;
    readonly ratio: number;
  };
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

/** Variables of this machine that change how node starts, which Lambda does not set (names only are kept). */
const MACHINE_ONLY_VARIABLE = /^(NODE_EXTRA_CA_CERTS|NODE_OPTIONS|NODE_PATH|NODE|npm_.*|PNPM.*|TSX_.*)$/i;

/**
 * The environment the function's node starts with in Lambda, as far as it matters to a cold start: the
 * runtime's LANG and TZ, the function's configuration and its NODE_OPTIONS, nothing of this machine but PATH.
 */
function lambdaLikeEnvironment(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    AWS_REGION: 'us-east-1',
    REPORT_BUCKET: 'incident-reports',
    FINDING_QUEUE_ARN: 'arn:aws:sqs:us-east-1:111122223333:findings',
    // The central stack always sets it (its ResponsePolicy parameter, observe by default): the init parses it.
    RESPONSE_POLICY: JSON.stringify({ default: 'observe', rules: [] }),
    NODE_OPTIONS: '--enable-source-maps',
  };
}

/** This machine's environment with the function's configuration on top: what a plain spawn would give. */
function machineEnvironment(): NodeJS.ProcessEnv {
  const nodeOptions = [process.env.NODE_OPTIONS, '--enable-source-maps'].filter(Boolean).join(' ');
  return { ...process.env, ...lambdaLikeEnvironment(), PATH: process.env.PATH, NODE_OPTIONS: nodeOptions };
}

/**
 * Runs the commands alternately, `runs` times each, after one untimed run of each (the first read of a file is
 * a disk read, not an import), so all see the same machine load. The samples, in the commands' order.
 */
function alternate(commands: readonly (readonly string[])[], env: NodeJS.ProcessEnv, runs: number): number[][] {
  for (const args of commands) timedRun(args, env);
  const samples = commands.map((): number[] => []);
  for (let run = 0; run < runs; run++) {
    commands.forEach((args, index) => {
      samples[index]?.push(timedRun(args, env));
    });
  }
  return samples;
}

const ratio = (times: readonly number[], alone: readonly number[]) =>
  Math.round((median(times) / median(alone)) * 100) / 100;

/**
 * Runs `node -e 0`, `node <bundle>` and `node <floor>` alternately, `runs` times each, with the environment the
 * function has in Lambda; then `node -e 0` and the bundle again with this machine's environment, to show what
 * its variables (NODE_EXTRA_CA_CERTS above all: node reads and parses the certificates at every start) add.
 */
export function measureColdImport(entry: string, floorEntry: string, runs: number): ColdImportMeasurement {
  const [alone = [], bundle = [], floor = []] = alternate(
    [['-e', '0'], [entry], [floorEntry]],
    lambdaLikeEnvironment(),
    runs,
  );
  const [machineAlone = [], machineBundle = []] = alternate([['-e', '0'], [entry]], machineEnvironment(), runs);
  return {
    runs,
    nodeAloneMs: distributionOf(alone),
    bundleMs: distributionOf(bundle),
    ratio: ratio(bundle, alone),
    floor: { ms: distributionOf(floor), ratio: ratio(floor, alone) },
    environment: {
      kept: Object.keys(lambdaLikeEnvironment()),
      removed: Object.keys(process.env)
        .filter((name) => MACHINE_ONLY_VARIABLE.test(name))
        .sort(),
    },
    withMachineEnvironment: {
      nodeAloneMs: distributionOf(machineAlone),
      bundleMs: distributionOf(machineBundle),
      ratio: ratio(machineBundle, machineAlone),
    },
  };
}
