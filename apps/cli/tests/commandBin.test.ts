import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const run = promisify(execFile);

/** Runs `npx -y pnpm@12.4.2 <args>` in the repository root, as the README tells an operator to. */
async function pnpm(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['-y', 'pnpm@12.4.2', ...args], { cwd: REPO_ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('the cli command (the package bin, through pnpm exec)', () => {
  it("ends a failing command with its own exit code and its own line on stderr, nothing of pnpm's or the SDK's", async () => {
    // Act
    const failed = await pnpm(['exec', 'cli', 'reject']);

    // Assess
    expect(failed.code).toBe(2);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toBe('reject needs a finding id or a report key. Run "cli reject --help".\n');
  }, 60_000);

  it('prints what a command answers on stdout, exit 0', async () => {
    // Act
    const version = await pnpm(['exec', 'cli', '--version']);

    // Assess
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\S*\d+\.\d+\.\d+\S*\n$/);
    expect(version.stderr).toBe('');
  }, 60_000);

  it('is why: the package script through pnpm run adds its ELIFECYCLE line to the same failure', async () => {
    // Act
    const throughRun = await pnpm(['--silent', 'cli', 'reject']);

    // Assess
    expect(throughRun.code).toBe(2);
    expect(throughRun.stderr).toContain('ELIFECYCLE');
  }, 60_000);
});
