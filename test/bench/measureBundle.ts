import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { synthesizeTemplates } from '@cryptominer-defense/central';
import { withPnpmOnPath } from '@cryptominer-defense/testing';

export interface BundleMeasurement {
  /** The Lambda's code file, as the CDK stack bundles it (esbuild, the stack's own options). */
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly sourceMapBytes: number;
}

export interface BuiltBundle extends BundleMeasurement {
  /** A folder holding index.mjs (and its map); the caller removes it with `dispose`. */
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
    withPnpmOnPath(() =>
      synthesizeTemplates({ homeRegion: 'us-east-1', forwardedRegions: [], account: undefined }, { bundle: true }),
    );
  } finally {
    if (previous === undefined) delete process.env.CDK_OUTDIR;
    else process.env.CDK_OUTDIR = previous;
  }
  const functionAssets = readdirSync(outdir)
    .filter((name) => name.startsWith('asset.'))
    .map((name) => join(outdir, name))
    .filter((folder) => existsSync(join(folder, 'index.mjs')));
  const [folder] = functionAssets;
  if (folder === undefined || functionAssets.length !== 1) {
    rmSync(outdir, { recursive: true, force: true });
    throw new Error(`Expected one bundled function in the assembly, found ${functionAssets.length}.`);
  }
  const entry = join(folder, 'index.mjs');
  const map = join(folder, 'index.mjs.map');
  return {
    entry,
    bytes: statSync(entry).size,
    gzipBytes: gzipSync(readFileSync(entry)).length,
    sourceMapBytes: existsSync(map) ? statSync(map).size : 0,
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}
