import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  applyEnvironment,
  guardDutyFindingEvent,
  iamUserIdentity,
  runInstancesRecord,
  startFaultInjectingProxy,
} from '@cryptominer-defense/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliWorld, REPORT_BUCKET, startCliWorld } from './support/cliWorld';
import { unwrapped, widestLine } from './support/lineWidths';

let world: CliWorld;
const findings: { key: string; findingId: string; accountId: string; region: string; type: string }[] = [];

/** Objects that sort before every report and fill more than one ListObjectsV2 page (1,000 keys). */
const PADDING = 1_001;

beforeAll(async () => {
  world = await startCliWorld({ regions: ['us-east-1', 'eu-west-1'] });
  const cases = [
    { member: 'workload-a', region: 'us-east-1', type: 'CryptoCurrency:EC2/BitcoinTool.B!DNS' },
    { member: 'workload-b', region: 'eu-west-1', type: 'Impact:EC2/BitcoinDomainRequest.Reputation' },
  ];
  for (const { member, region, type } of cases) {
    const account = world.organization.member(member);
    const instanceId = account.inRegion(region).standaloneInstance.instanceId;
    world.cloudTrail.addRecords(
      runInstancesRecord({
        identity: iamUserIdentity({ accountId: account.accountId, userName: 'ci-deployer' }),
        region,
        instanceIds: [instanceId],
      }),
    );
    const event = guardDutyFindingEvent({ accountId: account.accountId, region, instanceId, type });
    const responded = await world.cli(['respond', '--event', '-'], { stdin: JSON.stringify(event) });
    if (responded.code !== 0) throw new Error(responded.stderr);
    const [key] = await world.objectKeys(`incidents/${account.accountId}/${region}/`);
    findings.push({ key: key ?? '', findingId: String(event.detail.id), accountId: account.accountId, region, type });
  }
  // Not reports (no .json), but listed first: the reports are only on the second page.
  await Promise.all(
    Array.from({ length: PADDING }, (_unused, index) =>
      world.s3.send(
        new PutObjectCommand({
          Bucket: REPORT_BUCKET,
          Key: `incidents/000000000000/padding/${String(index).padStart(5, '0')}.txt`,
          Body: 'x',
        }),
      ),
    ),
  );
}, 180_000);

afterAll(async () => {
  await world?.close();
});

describe('cli reports list', () => {
  it('pages through the bucket and lists every report, newest first, as JSON', async () => {
    // Act
    const run = await world.cli(['reports', 'list', '--json']);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const listed = JSON.parse(run.stdout) as { key: string; findingId: string; timestamp: string }[];
    expect(listed.map((summary) => summary.findingId).sort()).toEqual(findings.map((f) => f.findingId).sort());
    expect(listed.map((summary) => summary.timestamp)).toEqual(
      listed
        .map((s) => s.timestamp)
        .sort()
        .reverse(),
    );
    expect(listed.map((summary) => summary.key).sort()).toEqual(findings.map((f) => f.key).sort());
  });

  it.each([
    ['--account', () => findings[0]?.accountId ?? '', 0],
    ['--region', () => 'eu-west-1', 1],
    ['--type', () => 'Impact:*', 1],
    ['--type', () => 'CryptoCurrency:EC2/BitcoinTool.B!DNS', 0],
  ])('filters with %s', async (flag, value, expectedIndex) => {
    // Act
    const run = await world.cli(['reports', 'list', flag, value(), '--json']);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { findingId: string }[]).map((s) => s.findingId)).toEqual([
      findings[expectedIndex]?.findingId,
    ]);
  });

  it('--since after every report lists none; a readable table otherwise', async () => {
    // Act
    const none = await world.cli(['reports', 'list', '--since', '2999-01-01']);
    const table = await world.cli(['reports', 'list', '--since', '2020-01-01']);

    // Assess
    expect(none.stdout).toMatch(/^No reports in s3:\/\/incident-reports\/incidents\/ match\.$/m);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TIME +ACCOUNT +REGION +INSTANCE +FINDING TYPE +DISPOSITION +PERSON +KEY$/);
    expect(lines.filter((line) => line.includes(' responded '))).toHaveLength(2);
    expect(lines.at(-1)).toBe('2 report(s) in s3://incident-reports.');
  });

  it('fits the table in 120 columns, cutting long cells with …, while --output json and csv keep every value', async () => {
    // Act
    const table = await world.cli(['reports', 'list']);
    const explicitTable = await world.cli(['reports', 'list', '--output', 'table']);
    const json = await world.cli(['reports', 'list', '--output', 'json']);
    const alias = await world.cli(['reports', 'list', '--json']);
    const csv = await world.cli(['reports', 'list', '--output', 'csv']);

    // Assess
    expect(table.code, table.stderr).toBe(0);
    expect(explicitTable.stdout).toBe(table.stdout);
    const lines = table.stdout.trimEnd().split('\n');
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(120);
    // The keys are longer than their column: cut at the start, their ends (instance and sequence) kept.
    for (const finding of findings) {
      const row = lines.find((line) => line.includes(finding.accountId));
      const keyCell = row?.split(/ {2,}/).at(-1) ?? '';
      expect(keyCell.startsWith('…'), row).toBe(true);
      expect(finding.key.endsWith(keyCell.slice(1)), row).toBe(true);
    }
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(alias.stdout));
    const listed = JSON.parse(json.stdout) as { key: string; guarddutyFindingType: string }[];
    expect(listed.map((summary) => summary.key).sort()).toEqual(findings.map((f) => f.key).sort());
    const csvLines = csv.stdout.split('\r\n');
    expect(csvLines[0]).toBe(
      'timestamp,accountId,region,instanceId,findingId,guarddutyFindingType,disposition,actor,manualInterventionRequired,awaitsApproval,key',
    );
    expect(csvLines.at(-1)).toBe('');
    const rows = csvLines.slice(1, -1).map((line) => line.split(','));
    expect(rows.map((fields) => fields.at(-1)).sort()).toEqual(findings.map((f) => f.key).sort());
    expect(rows.map((fields) => fields[5]).sort()).toEqual(findings.map((f) => f.type).sort());
  });

  it.each([
    [['reports', 'list', '--since', 'yesterday'], /--since "yesterday" is not an ISO 8601 date/],
    [['reports', 'list', '--account', '12'], /--account "12" is not an AWS account id/],
    [['reports', 'list', '--bucket', 'no-such-bucket'], /The bucket no-such-bucket does not exist: set REPORT_BUCKET/],
    [['reports', 'list', '--output', 'yaml'], /--output "yaml" is not one of table, json, csv/],
    [
      ['reports', 'list', '--json', '--output', 'csv'],
      /--json is --output json; it cannot be combined with --output csv/,
    ],
    [['reports'], /reports needs "list" or "show"/],
    [['reports', 'delete'], /reports needs "list" or "show" \(got "delete"\)/],
  ])('%j exits 2 with one line that says what to do', async (args, message) => {
    // Act
    const run = await world.cli(args);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(message)]);
  });

  it('says which variable to set when no bucket is named', async () => {
    // Act
    const run = await world.cli(['reports', 'list'], { env: { REPORT_BUCKET: '' } });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('Name the report bucket: set REPORT_BUCKET or pass --bucket <name>.\n');
  });
});

describe('cli reports show', () => {
  it('shows one report by key, readable: what was done, the steps, the undo data, no release yet', async () => {
    // Prepare
    const [finding] = findings;

    // Act
    const run = await world.cli(['reports', 'show', finding?.key ?? '']);
    const table = await world.cli(['reports', 'show', finding?.key ?? '', '--output', 'table']);
    const csv = await world.cli(['reports', 'show', finding?.key ?? '', '--output', 'csv']);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(widestLine(run.stdout)).toBeLessThanOrEqual(120);
    expect(table.stdout).toBe(run.stdout);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toBe('reports show: --output "csv" is not one of table, json.\n');
    expect(unwrapped(run.stdout)).toContain(`Report      s3://incident-reports/${finding?.key}`);
    expect(run.stdout).toContain('Isolated yes');
    expect(run.stdout).toMatch(/^STEP +TARGET +STATUS +DETAIL$/m);
    expect(run.stdout).toContain('Undo data (what "cli release" restores):');
    expect(run.stdout).toContain('Releases: none');
  });

  it('finds a report by finding id and prints it with its releases as JSON', async () => {
    // Prepare
    const finding = findings[1];

    // Act
    const run = await world.cli(['reports', 'show', finding?.findingId ?? '', '--json']);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const shown = JSON.parse(run.stdout) as { key: string; report: unknown; releases: unknown[] };
    expect(shown.key).toBe(finding?.key);
    expect(shown.report).toEqual(await world.readObject(finding?.key ?? ''));
    expect(shown.releases).toEqual([]);
  });

  it("finds a report by finding id with one read of the responder's state, not a scan of the bucket", async () => {
    // Prepare: every call goes through a recording proxy (the SDK reads its endpoint from the environment).
    const finding = findings[0];
    const proxy = await startFaultInjectingProxy({ target: world.endpoint });
    const restore = applyEnvironment({ AWS_ENDPOINT_URL: proxy.endpoint });

    // Act
    const run = await world.cli(['reports', 'show', finding?.findingId ?? '', '--json']).finally(restore);
    await proxy.stop();

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { key: string }).key).toBe(finding?.key);
    const reads = proxy.calls.filter((call) => call.operation === 'GetObject').map((call) => call.path);
    expect(reads).toEqual([
      `/${REPORT_BUCKET}/responder-state/${finding?.findingId}/state.json`,
      `/${REPORT_BUCKET}/${finding?.key}`,
    ]);
  });

  it('scans the bucket for a finding whose state is gone (an older report)', async () => {
    // Prepare
    const finding = findings[1];
    await world.s3.send(
      new DeleteObjectCommand({ Bucket: REPORT_BUCKET, Key: `responder-state/${finding?.findingId}/state.json` }),
    );

    // Act
    const run = await world.cli(['reports', 'show', finding?.findingId ?? '', '--json']);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { key: string }).key).toBe(finding?.key);
  });

  it('says how to find the key when the finding id is unknown', async () => {
    // Act
    const run = await world.cli(['reports', 'show', 'f00d']);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `No report in s3://incident-reports answers finding f00d (${findings.length} reports read): check the id, or pass the report's key (see "cli reports list").\n`,
    );
  });
});
