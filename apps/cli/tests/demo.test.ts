import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { EC2Client, ModifyNetworkInterfaceAttributeCommand, StartInstancesCommand } from '@aws-sdk/client-ec2';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { incidentReportSchema } from '@cryptominer-defense/core';
import { readIncidentReport } from '@cryptominer-defense/release';
import { applyEnvironment, clientConfigForAccount, emulatorClientConfig } from '@cryptominer-defense/testing';
import { describe, expect, it } from 'vitest';
import { checkContainment } from '../src/demo/checkContainment';
import { respondThroughEventBridge } from '../src/demo/runDemo';
import { seedDemoWorld } from '../src/demo/seedDemoWorld';
import { createProgress } from '../src/output/progress';
import { columnOf, widestLine } from './support/lineWidths';
import { runCli } from './support/runCli';

/** moto servers this test process started and that are still running. */
function motoServersOfThisProcess(): string[] {
  const children = execFileSync('ps', ['-o', 'args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return children.split('\n').filter((line) => line.includes('moto_server'));
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

interface DemoJson {
  readonly passed: boolean;
  readonly incidents: readonly {
    readonly member: string;
    readonly accountId: string;
    readonly findingType: string;
    readonly actor: string;
    readonly done: string;
    readonly needsAPerson: readonly string[];
    readonly checked: string;
  }[];
  readonly reports: { readonly count: number; readonly localCopy: string };
}

describe('cli demo', () => {
  it('plays the organization-wide incident, checks the containment, prints the summary (--json: every value) and exits 0', async () => {
    // Prepare
    const output = mkdtempSync(join(tmpdir(), 'cli-demo-'));
    const before = motoServersOfThisProcess();

    // Act
    const run = await runCli(['demo', '--output-dir', output, '--json'], process.env);

    // Assess
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stderr).toContain('delivered 4 of 5; held back: Recon:EC2/PortProbeUnprotectedPort.');
    expect(run.stderr.match(/^ {2}✔ incident \d: /gm)).toHaveLength(4);
    expect(run.stderr).not.toMatch(/✘/);
    const summary = JSON.parse(run.stdout) as DemoJson;
    expect(summary.passed).toBe(true);
    const rows = summary.incidents;
    expect(rows.map((row) => row.member).sort()).toEqual([
      'sandbox',
      'workload-a',
      'workload-a',
      'workload-b',
      'workload-b',
    ]);
    expect(rows.every((row) => /^\d{12}$/.test(row.accountId) && row.checked === 'ok')).toBe(true);
    expect(rows.find((row) => row.findingType === 'Recon:EC2/PortProbeUnprotectedPort')?.done).toContain(
      'nothing: not crypto-mining',
    );
    expect(rows.find((row) => row.actor === 'user/developer')?.done).toContain('isolated 3 ENI, stopped, user frozen');
    expect(rows.find((row) => row.actor.includes('AppDeployRole'))?.done).toContain('role frozen');
    expect(rows.find((row) => row.actor === 'root')?.needsAPerson.join('; ')).toContain('IAM cannot restrict root');
    expect(rows.find((row) => row.findingType === 'CryptoCurrency:EC2/BitcoinTool.B')?.done).toContain(
      'detached, group 0/0/0',
    );
    expect(summary.reports).toEqual({ count: 4, localCopy: join(output, 'incidents/') });
    const copies = filesUnder(output);
    expect(copies).toHaveLength(4);
    for (const copy of copies) {
      expect(incidentReportSchema.safeParse(JSON.parse(readFileSync(copy, 'utf8'))).success).toBe(true);
    }
    expect(run.stderr).toContain('Emulator stopped.');
    expect(motoServersOfThisProcess()).toEqual(before);
  }, 120_000);

  it('prints the summary as a table of at most 120 columns: a row per finding, ids whole, the long cells wrapped', async () => {
    // Prepare
    const output = mkdtempSync(join(tmpdir(), 'cli-demo-'));

    // Act
    const run = await runCli(['demo', '--output-dir', output], process.env);

    // Assess
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(widestLine(run.stdout)).toBeLessThanOrEqual(120);
    // A row's first line: the member (its account id on the next line), region and instance whole, the check.
    const lines = run.stdout.split('\n');
    const rows = lines.filter((line) =>
      /^(workload-a|workload-b|sandbox) +[a-z]{2}-[a-z]+-\d +i-[0-9a-f]{17} /.test(line),
    );
    expect(rows).toHaveLength(5);
    for (const row of rows) expect(lines[lines.indexOf(row) + 1]).toMatch(/^\d{12} /);
    expect(rows.every((row) => row.trimEnd().endsWith(' ok'))).toBe(true);
    // The root's reasons, wrapped in their column, are there in full.
    expect(columnOf(run.stdout, 'NEEDS A PERSON').replace(/\s+/g, '')).toContain('IAMcannotrestrictroot');
    expect(run.stdout).toContain(`local copy in ${join(output, 'incidents/')}`);
  }, 120_000);

  it('refuses the former --output <dir>: --output is the format now, naming the formats (exit 2, starts nothing)', async () => {
    // Act
    const run = await runCli(['demo', '--output', '/tmp/demo-reports'], process.env);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('demo: --output "/tmp/demo-reports" is not one of table, json.\n');
  });

  it('refuses an unknown flag with a usage error (exit 2) and starts nothing', async () => {
    // Act
    const run = await runCli(['demo', '--fast'], process.env);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`demo: Unknown option '--fast'. Run "cli demo --help".\n`);
  });
});

describe("the demo's containment check reads the emulator, not the reports", () => {
  it('fails an incident whose ENI is back on its group and whose instance runs again, though its report says contained', async () => {
    // Prepare
    const world = await seedDemoWorld();
    const restore = applyEnvironment(world.env);
    const s3 = new S3Client(emulatorClientConfig(world.endpoint));
    try {
      const { events } = await respondThroughEventBridge(world, createProgress(new PassThrough()), s3);
      const reports = new Map<string, Awaited<ReturnType<typeof readIncidentReport>>>();
      const findingIdOf = (incident: (typeof world.incidents)[number]) =>
        String(events.find((entry) => entry.incident === incident)?.event.detail.id);
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: world.bucket, Prefix: 'incidents/' }));
      for (const object of listed.Contents ?? []) {
        const report = await readIncidentReport(s3, world.bucket, object.Key ?? '');
        reports.set(report.findingId, report);
      }
      const [sabotaged, ...others] = world.incidents;
      if (sabotaged === undefined) throw new Error('the demo has incidents');
      const ec2 = new EC2Client(
        await clientConfigForAccount(world.endpoint, sabotaged.accountId, { region: sabotaged.region }),
      );
      await ec2.send(
        new ModifyNetworkInterfaceAttributeCommand({
          NetworkInterfaceId: sabotaged.networkInterfaceIds[0],
          Groups: [sabotaged.originalSecurityGroupId],
        }),
      );
      await ec2.send(new StartInstancesCommand({ InstanceIds: [sabotaged.instanceId] }));
      ec2.destroy();

      // Act
      const checked = await checkContainment(world.endpoint, world.incidents, reports, findingIdOf);

      // Assess
      expect(reports.get(findingIdOf(sabotaged))?.response).toMatchObject({
        networkIsolated: true,
        instanceStopped: true,
      });
      const failed = (checked.get(sabotaged) ?? []).filter((result) => !result.passed).map((result) => result.title);
      expect(failed).toEqual(['network isolated', 'stopped, not terminated']);
      for (const incident of others) expect((checked.get(incident) ?? []).every((result) => result.passed)).toBe(true);
    } finally {
      s3.destroy();
      restore();
      await world.stop();
    }
  }, 120_000);
});
