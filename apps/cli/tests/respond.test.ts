import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  applyEnvironment,
  type CloudTrailFake,
  emulatorEnvironment,
  findRepoRoot,
  guardDutyFindingEvent,
  iamUserIdentity,
  runInstancesRecord,
  type SeededOrganization,
  seedOrganization,
  startCloudTrailFake,
} from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/runCli';

const BUCKET = 'incident-reports';
const region = 'us-east-1';
let organization: SeededOrganization;
let cloudTrail: CloudTrailFake;
let env: Record<string, string>;
let restoreEnvironment: () => void;

// The CLI package has no AWS SDK dependency: the test reads the bucket over moto's S3 REST API (path-style,
// as the emulator's default account, where the responder writes).
async function s3Request(path: string, method = 'GET'): Promise<string> {
  // moto does not check signatures, but treats a request without credentials as anonymous (403 on objects).
  const authorization =
    'AWS4-HMAC-SHA256 Credential=AKIAEMULATOR00000000/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0';
  const response = await fetch(`${emulatorEndpoint()}/${path}`, { method, headers: { authorization } });
  if (!response.ok) throw new Error(`${method} /${path}: ${response.status} ${await response.text()}`);
  return response.text();
}

async function reportKeys(prefix = ''): Promise<string[]> {
  const listing = await s3Request(`${BUCKET}?list-type=2&prefix=${encodeURIComponent(prefix)}`);
  return [...listing.matchAll(/<Key>([^<]+)<\/Key>/g)].flatMap((match) => (match[1] === undefined ? [] : [match[1]]));
}
const directory = mkdtempSync(join(tmpdir(), 'cli-respond-'));

beforeAll(async () => {
  const endpoint = emulatorEndpoint();
  organization = await seedOrganization(endpoint, { regions: [region] });
  cloudTrail = await startCloudTrailFake({ emulatorEndpoint: endpoint });
  env = { ...emulatorEnvironment({ endpoint, cloudTrailEndpoint: cloudTrail.endpoint }), REPORT_BUCKET: BUCKET };
  restoreEnvironment = applyEnvironment(env);
  await s3Request(BUCKET, 'PUT');
}, 120_000);

afterAll(async () => {
  await cloudTrail?.stop();
  restoreEnvironment?.();
});

function run(args: string[], options: { env?: Record<string, string>; stdin?: string } = {}) {
  return runCli(['respond', ...args], options.env ?? env, options.stdin ?? '');
}

function eventFile(name: string, event: unknown): string {
  const path = join(directory, name);
  writeFileSync(path, typeof event === 'string' ? event : JSON.stringify(event));
  return path;
}

function instanceEvent(instanceId: string, overrides: { type?: string } = {}) {
  const member = organization.member('workload-a');
  return guardDutyFindingEvent({ accountId: member.accountId, region, instanceId, ...overrides });
}

describe('cli respond', () => {
  it('responds, writes the report, prints exactly that report on stdout and exits 0', async () => {
    // Prepare
    const member = organization.member('workload-a');
    const target = member.inRegion(region).multiEniInstance;
    cloudTrail.addRecords(
      runInstancesRecord({
        identity: iamUserIdentity({ accountId: member.accountId, userName: 'developer' }),
        region,
        instanceIds: [target.instanceId],
      }),
    );
    const path = eventFile('finding.json', instanceEvent(target.instanceId));

    // Act
    const result = await run(['--event', path]);

    // Assess
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout);
    const [key] = (await reportKeys(`incidents/${member.accountId}/`)).filter((candidate) =>
      candidate.includes(target.instanceId),
    );
    expect(JSON.parse(await s3Request(`${BUCKET}/${key}`))).toEqual(printed);
    expect(printed).toMatchObject({
      instanceId: target.instanceId,
      actor: { type: 'IAMUser' },
      response: { networkIsolated: true, instanceStopped: true, actorFrozen: true },
    });
    expect(result.stderr).toContain('"message":"Incident report written"');
  });

  it('reads the event from stdin with --event -, and prints {"ignored": reason} for a finding that is not crypto-mining', async () => {
    // Prepare
    const event = instanceEvent('i-0123456789abcdef0', { type: 'Recon:EC2/PortProbeUnprotectedPort' });

    // Act
    const result = await run(['--event', '-'], { stdin: JSON.stringify(event) });

    // Assess
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      ignored: 'not a crypto-mining finding type: Recon:EC2/PortProbeUnprotectedPort',
    });
  });

  it.each([
    [
      'an event that is not a GuardDuty finding',
      () => ['--event', eventFile('s3.json', { source: 'aws.s3', 'detail-type': 'Object Created' })],
      env,
      /source/,
    ],
    [
      'a malformed account id',
      () => [
        '--event',
        eventFile('bad.json', {
          ...instanceEvent('i-0123456789abcdef0'),
          detail: { ...instanceEvent('i-0123456789abcdef0').detail, accountId: '12' },
        }),
      ],
      env,
      /detail\.accountId/,
    ],
    ['a file that is not JSON', () => ['--event', eventFile('text.json', '{not json')], env, /\(event\): not JSON/],
    ['a missing file', () => ['--event', join(directory, 'absent.json')], env, /Cannot read the event/],
    ['no --event', () => [], env, /--event/],
    [
      'no REPORT_BUCKET',
      () => ['--event', eventFile('ok.json', instanceEvent('i-0123456789abcdef0'))],
      { AWS_REGION: region },
      /REPORT_BUCKET/,
    ],
  ])('exits 2 with one line on stderr for %s, touching nothing', async (_case, args, environment, message) => {
    // Prepare
    const before = await reportKeys();

    // Act
    const result = await run(args(), { env: environment });

    // Assess
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(message)]);
    expect(await reportKeys()).toEqual(before);
  });

  it('exits 1 when the report cannot be written, still printing the report', async () => {
    // Prepare
    const member = organization.member('workload-b');
    const path = eventFile('eks.json', {
      ...instanceEvent('i-0123456789abcdef0'),
      detail: {
        ...instanceEvent('i-0123456789abcdef0').detail,
        accountId: member.accountId,
        resource: { resourceType: 'EKSCluster' },
      },
    });

    // Act
    const result = await run(['--event', path], { env: { ...env, REPORT_BUCKET: 'no-such-bucket' } });

    // Assess
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ disposition: 'needs-person', accountId: member.accountId });
    expect(result.stderr).toMatch(/Could not write the incident report to s3:\/\/no-such-bucket\/.*NoSuchBucket/);
  });

  it('runs from the repository root as `tsx apps/cli/src/main.ts respond` with one JSON document on stdout', async () => {
    // Prepare
    const path = eventFile(
      'ignored.json',
      instanceEvent('i-0123456789abcdef0', { type: 'Backdoor:EC2/C&CActivity.B' }),
    );

    // Act
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'apps/cli/src/main.ts', 'respond', '--event', path], {
      cwd: findRepoRoot(),
      env: { ...process.env, ...env },
    });

    // Assess
    expect(JSON.parse(stdout)).toEqual({ ignored: 'not a crypto-mining finding type: Backdoor:EC2/C&CActivity.B' });
  }, 30_000);
});
