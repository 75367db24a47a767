import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { synthesizeTemplates } from '@cryptominer-defense/central';
import { readBundleLayout } from '@cryptominer-defense/testing';

/**
 * The Lambda's code as the CDK stack bundles it (apps/central/src/bundling): an ESM entry, index.mjs, and the
 * chunks it imports, statically (loaded with it) or by import() (loaded when that code runs, possibly never).
 */
export interface BundleMeasurement {
  /** Every code file shipped (.mjs), loaded at once or not: the size compared with the 1 MB target. */
  readonly bytes: number;
  /** The same files gzipped one by one, summed (about what the deployment zip holds). */
  readonly gzipBytes: number;
  /** Every source map shipped. */
  readonly sourceMapBytes: number;
  /** index.mjs and the files it imports statically, transitively: what a cold start loads and compiles. */
  readonly eagerBytes: number;
  /** Code files shipped, index.mjs included. */
  readonly chunks: number;
  /** Of those, the ones a cold start loads (index.mjs included). */
  readonly eagerChunks: number;
}

export interface BuiltBundle extends BundleMeasurement {
  /** The bundle's index.mjs, in a temporary folder the caller removes with `dispose`. */
  readonly entry: string;
  dispose(): void;
}

/**
 * Synthesizes the central app with bundling into a temporary cloud assembly (CDK_OUTDIR), exactly as
 * `pnpm synth` bundles the responder, and measures the one function asset it stages.
 */
export function buildBundle(): BuiltBundle {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-assembly-'));
  const previous = process.env.CDK_OUTDIR;
  process.env.CDK_OUTDIR = outdir;
  try {
    synthesizeTemplates({ homeRegion: 'us-east-1', forwardedRegions: [], account: undefined }, { bundle: true });
  } finally {
    if (previous === undefined) delete process.env.CDK_OUTDIR;
    else process.env.CDK_OUTDIR = previous;
  }
  const functionAssets = readdirSync(outdir)
    .filter((name) => name.startsWith('asset.'))
    .map((name) => join(outdir, name))
    .filter((folder) => readdirSync(folder).includes('index.mjs'));
  const [folder] = functionAssets;
  if (folder === undefined || functionAssets.length !== 1) {
    rmSync(outdir, { recursive: true, force: true });
    throw new Error(`Expected one bundled function in the assembly, found ${functionAssets.length}.`);
  }
  const layout = readBundleLayout(folder);
  return {
    entry: join(folder, layout.entry),
    bytes: layout.bytes(layout.code),
    gzipBytes: layout.code.reduce((sum, name) => sum + gzipSync(readFileSync(join(folder, name))).length, 0),
    sourceMapBytes: layout.bytes(layout.sourceMaps),
    eagerBytes: layout.bytes(layout.eager),
    chunks: layout.code.length,
    eagerChunks: layout.eager.length,
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}
