import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { findRepoRoot } from '@cryptominer-defense/testing';

export type ChromiumInstallation =
  | { readonly available: true; readonly executablePath: string }
  | { readonly available: false; readonly reason: string };

/**
 * Debian's chromium, installed by the project's own script when it is missing (.ci/installChromium.mjs: apt-get,
 * once per machine, a no-op after). Not available only where that script cannot install it; then why.
 */
export function ensureChromium(): ChromiumInstallation {
  const installer = join(findRepoRoot(), '.ci', 'installChromium.mjs');
  const result = spawnSync(process.execPath, [installer], { encoding: 'utf8' });
  if (result.status === 0) return { available: true, executablePath: result.stdout.trim() };
  const said = `${result.stderr ?? ''}`.trim().split('\n').filter(Boolean).at(-1);
  return { available: false, reason: said ?? result.error?.message ?? `exit code ${result.status}` };
}

/** Headless, offline and without a profile of its own: nothing a developer's browser has, nothing fetched. */
export const HEADLESS_CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
