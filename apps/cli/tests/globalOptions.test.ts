import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** The CLI as a person runs it: its own process, under tsx, from its folder. */
async function cliProcess(args: readonly string[], env: Record<string, string> = {}) {
  return run(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: CLI,
    env: { ...process.env, ...env },
  });
}

describe('the global options', () => {
  it.each(['--version', 'reports --version', '--no-color --version'])(
    'prints the package version for "cli %s" and exits 0',
    async (commandLine) => {
      // Act
      const { stdout } = await cliProcess(commandLine.split(' '));

      // Assess
      expect(stdout).toBe(`${version}\n`);
      expect(version).toMatch(/^\d+\.\d+\.\d+/);
    },
    60_000,
  );

  it('accepts --no-color anywhere and writes no escape sequence, with NO_COLOR too', async () => {
    // Act
    const flagged = await cliProcess(['reports', '--no-color', '--help']);
    const environment = await cliProcess(['--help'], { NO_COLOR: '1' });

    // Assess
    expect(flagged.stdout).toContain('Usage: cli reports list');
    expect(environment.stdout).toContain('Global options:');
    expect(`${flagged.stdout}${flagged.stderr}${environment.stdout}${environment.stderr}`).not.toContain('\x1b');
  }, 60_000);

  it('leaves what follows "--" to the command', async () => {
    // Act: reports takes no positional after "--", so the command (not the global parser) refuses --version.
    const refused = await cliProcess(['reports', 'list', '--', '--version']).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

    // Assess
    expect(refused).toMatchObject({ code: 2 });
    expect((refused as { stdout: string }).stdout).not.toBe(`${version}\n`);
  }, 60_000);
});
