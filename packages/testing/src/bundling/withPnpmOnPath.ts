import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs `run` with a `pnpm` on the PATH. CDK bundles a pnpm workspace's function with `pnpm exec esbuild`: inside
 * `pnpm synth` or `pnpm bench` pnpm is on the PATH, under a bare `npx vitest` or tsx it may not be. The shim runs
 * the project's pinned pnpm, as the README says to; PATH is restored and the shim removed afterwards.
 */
export function withPnpmOnPath<T>(run: () => T): T {
  const shimFolder = mkdtempSync(join(tmpdir(), 'pnpm-shim-'));
  const shim = join(shimFolder, 'pnpm');
  writeFileSync(shim, '#!/bin/sh\nexec npx -y pnpm@12.4.2 "$@"\n');
  chmodSync(shim, 0o755);
  const previous = process.env.PATH;
  process.env.PATH = `${shimFolder}:${previous ?? ''}`;
  try {
    return run();
  } finally {
    process.env.PATH = previous;
    rmSync(shimFolder, { recursive: true, force: true });
  }
}
