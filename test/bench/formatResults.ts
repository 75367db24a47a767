import type { BenchResults } from './benchResults';
import type { Distribution } from './distribution';
import { SCENARIOS } from './measureResponses';

const range = (value: Distribution) => `${value.median} (${value.min}–${value.max})`;

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')).join('\n');
}

/** The results as the table `pnpm bench` prints: medians, with min–max in brackets. */
export function formatResults(results: BenchResults): string {
  const latency = results.configuration.addedLatencyMs;
  const response = table([
    ['scenario', 'isolated ms', 'isolated RT', 'isolated dep.', 'whole ms', 'whole RT', 'whole dep.', 'AWS calls'],
    ...SCENARIOS.map((scenario) => {
      const summary = results.response[scenario];
      return [
        scenario,
        range(summary.isolation.ms),
        range(summary.isolation.roundTrips),
        range(summary.isolation.dependentCalls),
        range(summary.wholeResponse.ms),
        range(summary.wholeResponse.roundTrips),
        range(summary.wholeResponse.dependentCalls),
        range(summary.awsCalls),
      ];
    }),
  ]);
  const targets = table([
    ['target', 'limit', 'value', ''],
    ...results.targets.map((target) => [
      target.name,
      target.limit,
      String(target.value),
      target.met ? 'met' : 'MISSED',
    ]),
  ]);
  const paths = SCENARIOS.flatMap((scenario) => {
    const { criticalPath } = results.response[scenario];
    return [
      `${scenario}, to isolation: ${criticalPath.isolation.join(' → ')}`,
      `${scenario}, to the end: ${criticalPath.wholeResponse.join(' → ')}`,
    ];
  });
  const load = table([
    [
      'findings',
      'delivered to',
      'isolated p50 ms (RT)',
      'isolated p99 ms (RT)',
      'whole p50 ms (RT)',
      'whole p99 ms (RT)',
      'AWS calls / incident',
      'moto busy to isolation',
    ],
    ...results.load.map((run) => [
      String(run.findings),
      run.mode === 'oneHandler' ? 'one handler' : 'a handler each',
      `${run.isolation.ms.p50} (${run.isolation.roundTrips.p50})`,
      `${run.isolation.ms.p99} (${run.isolation.roundTrips.p99})`,
      `${run.wholeResponse.ms.p50} (${run.wholeResponse.roundTrips.p50})`,
      `${run.wholeResponse.ms.p99} (${run.wholeResponse.roundTrips.p99})`,
      String(run.awsCallsPerIncident),
      `${Math.round(run.emulatorToIsolation.share * 100)}% (${run.emulatorToIsolation.calls} calls)`,
    ]),
  ]);
  const { bundle, coldImport } = results;
  return [
    `Response (${results.configuration.iterations} incidents per scenario, ${latency} ms added per AWS call; RT = ms ÷ ${latency}; dep. = calls on the longest chain of dependent calls)`,
    response,
    '',
    `Load (N findings of one account delivered at once, new VPC per run, from the delivery; RT = ms ÷ ${latency})`,
    load,
    '',
    'Dependent calls of the first incident:',
    ...paths,
    '',
    `Bundle: ${bundle.bytes} bytes in ${bundle.chunks} .mjs files (gzip ${bundle.gzipBytes}; source maps ${bundle.sourceMapBytes}); loaded at a cold start: ${bundle.eagerBytes} bytes in ${bundle.eagerChunks} files`,
    `Cold import (median of ${coldImport.runs} alternated runs): node -e 0 ${range(coldImport.nodeAloneMs)} ms, bundle ${range(coldImport.bundleMs)} ms, ratio ${coldImport.ratio}`,
    `Cold-import floor (only the four clients isolation needs, bundled the same way): ${range(coldImport.floor.ms)} ms, ratio ${coldImport.floor.ratio}`,
    `Both with a Lambda-like environment (${coldImport.environment.kept.join(', ')}); with this machine's (${coldImport.environment.removed.length} variables more, e.g. ${coldImport.environment.removed.slice(0, 3).join(', ') || 'none'}): node -e 0 ${range(coldImport.withMachineEnvironment.nodeAloneMs)} ms, bundle ${range(coldImport.withMachineEnvironment.bundleMs)} ms, ratio ${coldImport.withMachineEnvironment.ratio}`,
    '',
    targets,
  ].join('\n');
}
