import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('..', import.meta.url));
const RECORDER = fileURLToPath(new URL('./support/recordModuleLoads.mjs', import.meta.url));
const logs = mkdtempSync(join(tmpdir(), 'cli-module-loads-'));
const run = promisify(execFile);

afterAll(() => rmSync(logs, { recursive: true, force: true }));

/** Runs `node <code or script> <args>` in the CLI's folder under tsx; resolves to every module URL it resolved. */
async function modulesLoadedBy(name: string, nodeArgs: readonly string[]): Promise<string[]> {
  const log = join(logs, `${name}.log`);
  await run(process.execPath, ['--import', 'tsx', '--import', RECORDER, ...nodeArgs], {
    cwd: CLI,
    env: { ...process.env, MODULE_LOAD_LOG: log },
  });
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

const isTestHarness = (url: string) =>
  url.includes('/packages/testing/') || url.includes('/@cryptominer-defense/testing/');

describe('the CLI at start-up', () => {
  it('records a load of @cryptominer-defense/testing when something imports it (the check below can fail)', async () => {
    // Act
    const loaded = await modulesLoadedBy('control', [
      '--input-type=module',
      '-e',
      "await import('@cryptominer-defense/testing');",
    ]);

    // Assess
    expect(loaded.filter(isTestHarness)).not.toEqual([]);
  }, 60_000);

  it.each([
    '--help',
    'respond --help',
    'reports --help',
    'release --help',
    'simulate --help',
    'doctor --help',
    'demo --help',
  ])(
    'does not load the emulator harness for "cli %s" (only running demo does)',
    async (commandLine) => {
      // Act
      const args = commandLine.split(' ');
      const loaded = await modulesLoadedBy(args.join('-'), [join(CLI, 'src', 'main.ts'), ...args]);

      // Assess: the CLI's commands were loaded, the test package was not.
      expect(loaded.some((url) => url.endsWith('/apps/cli/src/commands/release.ts'))).toBe(true);
      expect([...new Set(loaded.filter(isTestHarness))]).toEqual([]);
    },
    60_000,
  );
});
