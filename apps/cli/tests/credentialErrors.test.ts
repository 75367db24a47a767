import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);
const SSO_START_URL = 'https://example-org.awsapps.com/start';

/**
 * A person's AWS files in a temporary home, nothing reaching AWS: a profile without credentials, an SSO profile
 * whose cached sign-in has expired, and one whose credential_process hands out credentials that expired.
 */
function awsHome(): Record<string, string> {
  const home = mkdtempSync(join(tmpdir(), 'cli-credentials-'));
  const expiredProcess = join(home, 'expired-credentials.sh');
  writeFileSync(
    expiredProcess,
    `#!/bin/sh\necho '{"Version":1,"AccessKeyId":"ASIAEXAMPLEEXPIRED01","SecretAccessKey":"x","SessionToken":"y","Expiration":"2020-01-01T00:00:00Z"}'\n`,
  );
  chmodSync(expiredProcess, 0o755);
  const config = join(home, 'config');
  writeFileSync(
    config,
    [
      '[profile no-keys]',
      'region = eu-west-3',
      '[profile sso-expired]',
      `sso_start_url = ${SSO_START_URL}`,
      'sso_region = us-east-1',
      'sso_account_id = 111122223333',
      'sso_role_name = SecurityAudit',
      'region = us-east-1',
      '[profile process-expired]',
      `credential_process = ${expiredProcess}`,
      'region = us-east-1',
      '',
    ].join('\n'),
  );
  // What "aws sso login" leaves: the token, named by the start URL's SHA-1, here expired an hour ago.
  const cache = join(home, '.aws', 'sso', 'cache');
  mkdirSync(cache, { recursive: true });
  writeFileSync(
    join(cache, `${createHash('sha1').update(SSO_START_URL).digest('hex')}.json`),
    JSON.stringify({
      accessToken: 'expired-token',
      expiresAt: new Date(Date.now() - 3_600_000).toISOString(),
      region: 'us-east-1',
      startUrl: SSO_START_URL,
    }),
  );
  const credentials = join(home, 'credentials');
  writeFileSync(credentials, '');
  return {
    HOME: home,
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: credentials,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

let files: Record<string, string>;

beforeAll(() => {
  files = awsHome();
});

/** The CLI in its own process that sees none of this machine's AWS variables, only the temporary AWS files. */
async function cliWithoutAws(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const machine = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  return run(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: CLI,
    env: { ...machine, ...files },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

function expectNamesProfileAndFix(
  outcome: { code: number; stdout: string; stderr: string },
  profile: string,
  sdkWords: string,
) {
  expect(outcome.code, outcome.stderr).toBe(2);
  expect(outcome.stdout).toBe('');
  expect(outcome.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(outcome.stderr).toContain(`Could not use profile "${profile}": `);
  expect(outcome.stderr).toContain(sdkWords);
  expect(outcome.stderr).toContain(`aws sso login --profile ${profile}`);
  expect(outcome.stderr).toContain('AWS_PROFILE=<name>');
  expect(outcome.stderr).not.toContain('Unexpected error');
}

describe('a credential error names the profile and the fix, from every command that calls AWS', () => {
  it.each([
    [['reports', 'list', '--bucket', 'reports']],
    [['reports', 'show', 'f00d', '--bucket', 'reports']],
    [['release', '--report', 'f00d', '--bucket', 'reports']],
    [['approve', 'f00d', '--bucket', 'reports']],
    [['reject', 'f00d', '--bucket', 'reports']],
    [['pause', '--reason', 'storm', '--bucket', 'reports']],
    [['resume', '--bucket', 'reports']],
    [['doctor']],
  ])(
    'cli --profile no-keys %j: exit 2, one line, nothing printed on stdout',
    async (args) => {
      // Act
      const outcome = await cliWithoutAws(['--profile', 'no-keys', ...args]);

      // Assess
      expectNamesProfileAndFix(outcome, 'no-keys', 'Could not load credentials from any providers');
    },
    60_000,
  );

  it('an SSO profile whose sign-in expired: says so, and to run aws sso login for it', async () => {
    // Act
    const outcome = await cliWithoutAws(['--profile', 'sso-expired', 'reports', 'list', '--bucket', 'reports']);

    // Assess
    expectNamesProfileAndFix(outcome, 'sso-expired', 'The SSO session associated with this profile has expired');
  }, 60_000);

  it('a profile whose credential_process hands out expired credentials, chosen by AWS_PROFILE', async () => {
    // Prepare
    const previous = files.AWS_PROFILE;
    files.AWS_PROFILE = 'process-expired';

    // Act
    const outcome = await cliWithoutAws(['doctor']).finally(() => {
      files.AWS_PROFILE = previous as string;
      if (previous === undefined) delete files.AWS_PROFILE;
    });

    // Assess
    // The SDK's default chain reports the process provider's "returned expired credentials" as no provider at all.
    expectNamesProfileAndFix(outcome, 'process-expired', 'Could not load credentials from any providers');
  }, 60_000);

  it('a profile that does not exist: with --region, the credential error names it; without, the missing region does', async () => {
    // Act
    const withRegion = await cliWithoutAws([
      '--profile',
      'nobody',
      '--region',
      'us-east-1',
      'pause',
      '--status',
      '--bucket',
      'reports',
    ]);
    const withoutRegion = await cliWithoutAws(['--profile', 'nobody', 'pause', '--status', '--bucket', 'reports']);

    // Assess
    expectNamesProfileAndFix(withRegion, 'nobody', 'nobody');
    expect(withoutRegion.code).toBe(2);
    expect(withoutRegion.stderr).toBe(
      'Profile "nobody" names no region (or is not in your AWS config files: aws configure list-profiles): pass --region <central region> before the command, set AWS_REGION, or give the profile one (aws configure set region <region> --profile nobody).\n',
    );
  }, 60_000);
});
