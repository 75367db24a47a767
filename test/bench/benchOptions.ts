import { fileURLToPath } from 'node:url';

export interface BenchOptions {
  /** Incidents per scenario. */
  readonly iterations: number;
  /** Latency the proxy adds to every AWS call: one round trip. */
  readonly latencyMs: number;
  /** Alternated runs of `node -e 0` and the bundle. */
  readonly importRuns: number;
  /** The load scenario's sizes: that many findings of one account delivered at once. */
  readonly loadSizes: readonly number[];
  /** Where results.json goes. */
  readonly out: string;
}

export const DEFAULT_RESULTS_FILE = fileURLToPath(new URL('./results.json', import.meta.url));

const USAGE =
  'usage: pnpm bench [--iterations N (default 5)] [--latency-ms MS (default 50)] [--import-runs N (default 10)] [--load N,N,… (default 1,10,30)] [--out FILE]';

export class BenchUsageError extends Error {
  constructor(problem: string) {
    super(`${problem}\n${USAGE}`);
    this.name = 'BenchUsageError';
  }
}

function positiveInteger(flag: string, value: string | undefined): number {
  const parsed = Number(value);
  if (value === undefined || !Number.isInteger(parsed) || parsed < 1) {
    throw new BenchUsageError(`${flag} needs a whole number of at least 1, got ${value ?? 'nothing'}.`);
  }
  return parsed;
}

export function parseBenchOptions(args: readonly string[]): BenchOptions {
  let options: BenchOptions = {
    iterations: 5,
    latencyMs: 50,
    importRuns: 10,
    loadSizes: [1, 10, 30],
    out: DEFAULT_RESULTS_FILE,
  };
  for (let index = 0; index < args.length; index += 2) {
    const flag = args[index];
    const value = args[index + 1];
    switch (flag) {
      case '--':
        index -= 1;
        break;
      case '--iterations':
        options = { ...options, iterations: positiveInteger(flag, value) };
        break;
      case '--latency-ms':
        options = { ...options, latencyMs: positiveInteger(flag, value) };
        break;
      case '--import-runs':
        options = { ...options, importRuns: positiveInteger(flag, value) };
        break;
      case '--load':
        if (value === undefined) throw new BenchUsageError('--load needs sizes, e.g. --load 1,10,30.');
        options = { ...options, loadSizes: value.split(',').map((size) => positiveInteger(flag, size)) };
        break;
      case '--out':
        if (value === undefined || value === '') throw new BenchUsageError('--out needs a file name.');
        options = { ...options, out: value };
        break;
      default:
        throw new BenchUsageError(`Unknown argument ${flag}.`);
    }
  }
  return options;
}
