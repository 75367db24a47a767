import type { BundleMeasurement } from './measureBundle';
import type { ColdImportMeasurement } from './measureColdImport';
import { LOAD_MODES, type LoadRun } from './measureLoad';
import type { Scenario, ScenarioSummary } from './measureResponses';

/** One target of issue 8 and whether this run meets it. */
export interface TargetCheck {
  readonly name: string;
  readonly limit: string;
  readonly value: number;
  readonly met: boolean;
}

/**
 * What `pnpm bench` writes to test/bench/results.json. Version 2: the bundle is split into chunks; `bundle.bytes`
 * is every shipped .mjs file (in version 1, the one index.mjs), and `eagerBytes`, `chunks`, `eagerChunks` are new.
 * Version 3: `coldImport.floor`. Version 4: `load` (N findings of one account at once, per size and mode),
 * `configuration.loadSizes`, and `coldImport.environment` / `coldImport.withMachineEnvironment` (the main figures
 * are taken with a Lambda-like environment). Version 5: `load[].emulatorToIsolation` (how busy moto was until the
 * burst was isolated).
 */
export interface BenchResults {
  readonly schemaVersion: 5;
  readonly generatedAt: string;
  readonly commit: string;
  readonly machine: { readonly node: string; readonly platform: string; readonly arch: string; readonly cpus: number };
  readonly configuration: {
    readonly iterations: number;
    readonly addedLatencyMs: number;
    readonly importRuns: number;
    readonly loadSizes: readonly number[];
  };
  readonly response: Readonly<Record<Scenario, ScenarioSummary>>;
  readonly load: readonly LoadRun[];
  readonly bundle: BundleMeasurement;
  readonly coldImport: ColdImportMeasurement;
  readonly targets: readonly TargetCheck[];
}

const BUNDLE_LIMIT_BYTES = 1_000_000;

/**
 * The targets, checked on the median of dependent calls (the longest chain of calls that each waited for the
 * previous one), which is what "round trips" means once the emulator's own time is taken out; time ÷ latency is
 * reported too. The median, because on a busy machine two unrelated calls now and then happen to run one after
 * the other and lengthen one incident's chain.
 */
export function checkTargets(
  response: Readonly<Record<Scenario, ScenarioSummary>>,
  bundle: BundleMeasurement,
  coldImport: ColdImportMeasurement,
  load: readonly LoadRun[],
): TargetCheck[] {
  const check = (name: string, limit: string, value: number, met: boolean): TargetCheck => ({
    name,
    limit,
    value,
    met,
  });
  const wholeWorst = Math.max(
    response.warm.wholeResponse.dependentCalls.median,
    response.cold.wholeResponse.dependentCalls.median,
    response.coldGroupExists.wholeResponse.dependentCalls.median,
  );
  return [
    check(
      'isolation, warm (dependent round trips)',
      '≤ 4',
      response.warm.isolation.dependentCalls.median,
      response.warm.isolation.dependentCalls.median <= 4,
    ),
    check(
      'isolation, groups created (dependent round trips)',
      '≤ 7',
      response.cold.isolation.dependentCalls.median,
      response.cold.isolation.dependentCalls.median <= 7,
    ),
    check('whole response, any scenario (dependent round trips)', '≤ 8', wholeWorst, wholeWorst <= 8),
    check('bundle, every .mjs shipped (bytes)', '< 1 MB', bundle.bytes, bundle.bytes < BUNDLE_LIMIT_BYTES),
    check('cold import ÷ node -e 0', '< 2.5', coldImport.ratio, coldImport.ratio < 2.5),
    ...loadTargets(load, check),
  ];
}

/**
 * Issue 19: the p99 time to isolation of the largest burst within 2× of a single finding's, per mode (checked
 * only when the sizes include 1 and a larger one).
 */
function loadTargets(
  load: readonly LoadRun[],
  check: (name: string, limit: string, value: number, met: boolean) => TargetCheck,
): TargetCheck[] {
  const largest = Math.max(...load.map((run) => run.findings));
  if (largest <= 1) return [];
  return LOAD_MODES.flatMap((mode) => {
    const single = load.find((run) => run.mode === mode && run.findings === 1);
    const burst = load.find((run) => run.mode === mode && run.findings === largest);
    if (single === undefined || burst === undefined) return [];
    const ratio = Math.round((burst.isolation.ms.p99 / single.isolation.ms.p99) * 100) / 100;
    return [check(`isolation p99, ${largest} at once ÷ 1 (${mode})`, '≤ 2', ratio, ratio <= 2)];
  });
}
