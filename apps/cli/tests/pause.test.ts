import {
  CreateBucketCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
} from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { PAUSE_SWITCH_KEY } from '@cryptominer-defense/core';
import {
  applyEnvironment,
  emulatorClientConfig,
  guardDutyFindingEvent,
  startFaultInjectingProxy,
} from '@cryptominer-defense/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliWorld, REPORT_BUCKET, startCliWorld } from './support/cliWorld';
import { unwrapped, widestLine } from './support/lineWidths';

let world: CliWorld;
let caller = '';
const LOCKED_BUCKET = 'locked-incident-reports';

beforeAll(async () => {
  world = await startCliWorld({ regions: ['us-east-1'] });
  const sts = new STSClient(emulatorClientConfig(world.endpoint));
  caller = (await sts.send(new GetCallerIdentityCommand({}))).Arn ?? '';
  sts.destroy();
}, 180_000);

afterAll(async () => {
  await world?.close();
});

describe('cli pause / cli pause --status / cli resume', () => {
  it('round trip: never written, paused with who and why, resumed; the responder observes while paused', async () => {
    // Act
    const before = await world.cli(['pause', '--status']);
    const beforeJson = await world.cli(['pause', '--status', '--json']);
    const paused = await world.cli(['pause', '--reason', 'false-positive storm', '--json']);
    const pausedObject = await world.readObject(PAUSE_SWITCH_KEY);
    const status = await world.cli(['pause', '--status']);
    const member = world.organization.member('workload-a');
    const event = guardDutyFindingEvent({
      accountId: member.accountId,
      region: 'us-east-1',
      instanceId: member.inRegion('us-east-1').standaloneInstance.instanceId,
    });
    const responded = await world.cli(['respond', '--event', '-'], { stdin: JSON.stringify(event) });
    const resumed = await world.cli(['resume', '--reason', 'storm over']);
    const resumedObject = await world.readObject(PAUSE_SWITCH_KEY);
    const after = await world.cli(['pause', '--status', '--json']);

    // Assess
    expect(before.code, before.stderr).toBe(0);
    expect(unwrapped(before.stdout)).toBe(
      `Not paused: s3://${REPORT_BUCKET}/${PAUSE_SWITCH_KEY} has never been written. The responder acts as its policy says.\n`,
    );
    expect(JSON.parse(beforeJson.stdout)).toBeNull();
    expect(paused.code, paused.stderr).toBe(0);
    expect(pausedObject).toEqual({
      paused: true,
      reason: 'false-positive storm',
      by: caller,
      at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    });
    expect(JSON.parse(paused.stdout)).toEqual(pausedObject);
    expect(unwrapped(status.stdout)).toMatch(
      new RegExp(`^PAUSED by ${caller} at \\S+ \\(false-positive storm\\): every response only observes\\.\\n$`),
    );
    expect(responded.code, responded.stderr).toBe(0);
    const report = JSON.parse(responded.stdout) as { responseMode: { mode: string; reason: string } };
    expect(report.responseMode).toEqual({
      mode: 'observe',
      reason: `paused by ${caller} at ${(pausedObject as { at: string }).at}: false-positive storm`,
    });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(unwrapped(resumed.stdout)).toMatch(
      /^Not paused: resumed by .* \(storm over\)\. The responder acts as its policy says\.$/m,
    );
    expect(resumedObject).toMatchObject({ paused: false, reason: 'storm over', by: caller });
    expect(JSON.parse(after.stdout)).toEqual(resumedObject);
  });

  it('fits what pause, --status and resume print in 120 columns, however long the reason; --output json has it whole', async () => {
    // Prepare
    const reason = `a storm of false positives after the ${'scanner '.repeat(20)}update`;

    // Act
    const paused = await world.cli(['pause', '--reason', reason]);
    const status = await world.cli(['pause', '--status', '--output', 'table']);
    const json = await world.cli(['pause', '--status', '--output', 'json']);
    const resumed = await world.cli(['resume', '--reason', reason]);

    // Assess
    for (const run of [paused, status, resumed]) {
      expect(run.code, run.stderr).toBe(0);
      expect(widestLine(run.stdout)).toBeLessThanOrEqual(120);
    }
    expect(
      widestLine(`PAUSED by ${caller} at 2026-12-04T00:00:00.000Z (${reason}): every response only observes.`),
    ).toBeGreaterThan(120);
    expect(unwrapped(status.stdout)).toContain(`(${reason})`);
    expect(JSON.parse(json.stdout)).toMatchObject({ paused: true, reason, by: caller });
  });

  it('refuses csv, which one switch has no rows for, naming the formats pause prints (exit 2)', async () => {
    // Act
    const run = await world.cli(['pause', '--status', '--output', 'csv']);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('pause: --output "csv" is not one of table, json.\n');
  });

  it('writes over the switch in a bucket with Object Lock on by default: each flip a new version', async () => {
    // Prepare: a bucket as the stack makes it (versioned, governance retention by default): a PutObject over a
    // locked version must still work.
    await world.s3.send(new CreateBucketCommand({ Bucket: LOCKED_BUCKET, ObjectLockEnabledForBucket: true }));
    await world.s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket: LOCKED_BUCKET,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } },
        },
      }),
    );

    // Act
    const runs = [
      await world.cli(['pause', '--bucket', LOCKED_BUCKET]),
      await world.cli(['resume', '--bucket', LOCKED_BUCKET]),
      await world.cli(['pause', '--bucket', LOCKED_BUCKET, '--reason', 'again']),
    ];
    const status = await world.cli(['pause', '--status', '--bucket', LOCKED_BUCKET, '--json']);

    // Assess
    expect(runs.map((run) => run.code)).toEqual([0, 0, 0]);
    expect(JSON.parse(status.stdout)).toMatchObject({ paused: true, reason: 'again' });
    const versions = await world.s3.send(
      new ListObjectVersionsCommand({ Bucket: LOCKED_BUCKET, Prefix: PAUSE_SWITCH_KEY }),
    );
    expect(versions.Versions?.map((version) => version.Key)).toEqual([
      PAUSE_SWITCH_KEY,
      PAUSE_SWITCH_KEY,
      PAUSE_SWITCH_KEY,
    ]);
  });

  it('a malformed switch: --status says so, exit 1 (the responder observes until it is rewritten)', async () => {
    // Prepare
    await world.s3.send(
      new PutObjectCommand({ Bucket: LOCKED_BUCKET, Key: PAUSE_SWITCH_KEY, Body: '{"paused":"yes"}' }),
    );

    // Act
    const run = await world.cli(['pause', '--status', '--bucket', LOCKED_BUCKET]);

    // Assess
    expect(run.code).toBe(1);
    expect(widestLine(run.stdout)).toBeLessThanOrEqual(120);
    expect(unwrapped(run.stdout)).toMatch(
      /^Malformed: responder-state\/pause\.json is not a pause switch: paused: .*only observes\.$/m,
    );
  });

  it.each([
    [['pause'], {}, /^Name the report bucket: set REPORT_BUCKET or pass --bucket <name>\.$/],
    [['resume', '--bucket', 'no-such-bucket'], {}, /^The bucket no-such-bucket does not exist: set REPORT_BUCKET/],
    [['pause', '--status', '--bucket', 'no-such-bucket'], {}, /^The bucket no-such-bucket does not exist/],
    [['pause', '--resume'], {}, /^pause: Unknown option '--resume'.*Run "cli pause --help"\.$/],
  ])('%j exits 2 with one line that says what to do', async (args, env, message) => {
    // Act
    const run = await world.cli(args, { env: { REPORT_BUCKET: '', ...env } });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(message)]);
  });

  it('AccessDenied names the permission that is missing, and changes nothing', async () => {
    // Prepare: S3 refuses every write of the switch (as the bucket policy does for anyone but the operator role).
    const before = await world.readObject(PAUSE_SWITCH_KEY);
    const proxy = await startFaultInjectingProxy({
      target: world.endpoint,
      rules: [{ service: 's3', operation: 'PutObject', fault: 'accessDenied' }],
    });
    const restore = applyEnvironment({ AWS_ENDPOINT_URL: proxy.endpoint });

    // Act
    const run = await world.cli(['pause', '--reason', 'not mine to flip']).finally(restore);
    await proxy.stop();

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `AccessDenied on s3://${REPORT_BUCKET}/${PAUSE_SWITCH_KEY}: your credentials need s3:PutObject on arn:aws:s3:::${REPORT_BUCKET}/${PAUSE_SWITCH_KEY} (the bucket policy lets only the release operator role, ReleaseOperatorRoleName, write it) and kms:GenerateDataKey on the incident key.\n`,
    );
    expect(await world.readObject(PAUSE_SWITCH_KEY)).toEqual(before);
  });
});
