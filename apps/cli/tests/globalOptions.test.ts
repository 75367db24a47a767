import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseGlobalOptions } from '../src/globalOptions';

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

/** The CLI in a process that sees no AWS variable of this machine (credentials, region, endpoints), only `env`. */
async function cliProcessWithoutAws(args: readonly string[], env: Record<string, string>) {
  const machine = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  return run(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { cwd: CLI, env: { ...machine, ...env } });
}

describe('--profile and --region', () => {
  /** A shared config file with one profile, and no credentials anywhere: what a person's machine may hold. */
  function sharedFiles(region: string | null): Record<string, string> {
    const folder = mkdtempSync(join(tmpdir(), 'cli-profile-'));
    const config = join(folder, 'config');
    writeFileSync(config, `[profile audit]\n${region === null ? '' : `region = ${region}\n`}`);
    const credentials = join(folder, 'credentials');
    writeFileSync(credentials, '');
    return { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_EC2_METADATA_DISABLED: 'true' };
  }

  it("uses the profile's region and names the profile when it holds no credentials (exit 2, one clear line)", async () => {
    // Act
    const failed = await cliProcessWithoutAws(
      ['--profile', 'audit', 'pause', '--status', '--bucket', 'reports'],
      sharedFiles('eu-west-3'),
    ).catch((error: { code: number; stdout: string; stderr: string }) => error);

    // Assess
    expect(failed).toMatchObject({ code: 2 });
    const stderr = (failed as { stderr: string }).stderr;
    expect(stderr).toContain('profile "audit"');
    expect(stderr).toContain('aws configure list --profile audit');
    expect(stderr).not.toContain('Unexpected error');
    // The SDK's Node-version notice is not the command's output.
    expect(stderr).not.toContain('NodeVersionSupportWarning');
    // The region came from the profile: without one, the command would have asked for AWS_REGION first.
    expect(stderr).not.toContain('Set AWS_REGION');
  }, 60_000);

  it('refuses --profile without a name, changing nothing (exit 2)', async () => {
    // Act
    const refused = await cliProcess(['reports', 'list', '--profile']).catch(
      (error: { code: number; stderr: string }) => error,
    );

    // Assess
    expect(refused).toMatchObject({ code: 2 });
    expect((refused as { stderr: string }).stderr).toContain('--profile needs a value');
  }, 60_000);
});

describe('the global options as parsed', () => {
  it('takes --profile anywhere and --region only before the command name (reports list --region is a filter)', () => {
    // Act
    const before = parseGlobalOptions(['--region', 'eu-west-1', '--profile=audit', 'reports', 'list']);
    const after = parseGlobalOptions(['reports', 'list', '--region', 'eu-west-1', '--profile', 'audit']);

    // Assess
    expect(before).toMatchObject({ profile: 'audit', region: 'eu-west-1', rest: ['reports', 'list'] });
    expect(after).toMatchObject({ profile: 'audit', region: null, rest: ['reports', 'list', '--region', 'eu-west-1'] });
  });
});
