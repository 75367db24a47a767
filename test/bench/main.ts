// `pnpm bench`: time to isolation and to the whole response behind a latency-adding proxy (warm and cold), AWS
// calls per incident, the same under load (N findings of one account at once), the Lambda bundle's size and its cold import time next to `node -e 0`.
// Prints a table and writes test/bench/results.json (or --out).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { arch, availableParallelism, platform } from 'node:os';
import { BenchUsageError, parseBenchOptions } from './benchOptions';
import { type BenchResults, checkTargets } from './benchResults';
import { startBenchWorld } from './benchWorld';
import { formatResults } from './formatResults';
import { buildBundle } from './measureBundle';
import { measureColdImport } from './measureColdImport';
import { buildFloorBundle } from './measureFloor';
import { measureLoad } from './measureLoad';
import { measureResponses } from './measureResponses';

/** The commit measured; `-dirty` when the working tree had changes (other work in progress was measured too). */
function currentCommit(): string {
  const result = spawnSync('git', ['describe', '--always', '--dirty'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : 'unknown';
}

async function main(args: readonly string[]): Promise<void> {
  const options = parseBenchOptions(args);
  const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

  progress('bundling the responder as the CDK stack does, and the cold-import floor (the isolation clients only)');
  const bundle = buildBundle();
  const floor = buildFloorBundle();
  let results: BenchResults;
  try {
    progress(`cold import: ${options.importRuns} alternated runs`);
    const coldImport = measureColdImport(bundle.entry, floor.entry, options.importRuns);
    progress(`responses: starting the emulator behind a proxy adding ${options.latencyMs} ms per call`);
    const world = await startBenchWorld(options.latencyMs);
    const { response, load } = await (async () => {
      try {
        const measured = await measureResponses(world, options.iterations, options.latencyMs, progress);
        progress(`load: ${options.loadSizes.join(', ')} findings of one account at once`);
        return { response: measured, load: await measureLoad(world, options.loadSizes, options.latencyMs, progress) };
      } finally {
        await world.close();
      }
    })();
    const { entry: _entry, dispose: _dispose, ...bundleMeasurement } = bundle;
    results = {
      schemaVersion: 5,
      generatedAt: new Date().toISOString(),
      commit: currentCommit(),
      machine: { node: process.version, platform: platform(), arch: arch(), cpus: availableParallelism() },
      configuration: {
        iterations: options.iterations,
        addedLatencyMs: options.latencyMs,
        importRuns: options.importRuns,
        loadSizes: options.loadSizes,
      },
      response,
      load,
      bundle: bundleMeasurement,
      coldImport,
      targets: checkTargets(response, bundleMeasurement, coldImport, load),
    };
  } finally {
    bundle.dispose();
    floor.dispose();
  }
  writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${formatResults(results)}\n\nWritten to ${options.out}\n`);
}

main(process.argv.slice(2)).then(
  // The handlers' SDK clients keep sockets open: the process ends here, not when they time out.
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof BenchUsageError ? 2 : 1);
  },
);
