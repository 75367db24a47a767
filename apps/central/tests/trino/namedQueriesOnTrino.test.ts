import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DISPOSITIONS, type IncidentReport, incidentReportSchema } from '@cryptominer-defense/core';
import { startTrinoServer, type TrinoServer } from '@cryptominer-defense/testing/trino';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizeCentralApp } from '../helpers/synthesizeCentralApp';
import { EXPECTED_QUERY_ROWS } from './expectedQueryRows';
import { resolveTemplateValue } from './resolveTemplateValue';
import { type GlueTableInput, trinoTableOfGlueTable } from './trinoTableOfGlueTable';
import { type EngineReports, writeEngineReports } from './writeEngineReports';

// Athena engine v3 is Trino: the named queries of the synthesized template run verbatim on Trino 476, over the
// tables the template defines (same columns, SerDe, location layout and projection), reading reports the engine
// wrote on the emulator. Run alone: npx -y pnpm@12.4.2 test:queries
const { central } = synthesizeCentralApp();
const resources = Object.values(central.toJSON().Resources as Record<string, { Type: string; Properties: unknown }>);
const BUCKET = 'incident-bucket';
const BUCKET_REF = Object.entries(central.toJSON().Resources as Record<string, { Type: string }>).find(
  ([id, resource]) => resource.Type === 'AWS::S3::Bucket' && id.startsWith('IncidentReports'),
)?.[0] as string;
const parameterDefaults = Object.fromEntries(
  Object.entries(central.toJSON().Parameters as Record<string, { Default?: unknown }>).flatMap(([name, parameter]) =>
    parameter.Default === undefined ? [] : [[name, String(parameter.Default)]],
  ),
);
// As CloudFormation resolves them when the stack is created with the parameters' defaults.
const refs = { ...parameterDefaults, [BUCKET_REF]: BUCKET };
const databaseProperties = resources.find((resource) => resource.Type === 'AWS::Glue::Database')?.Properties as {
  DatabaseInput: unknown;
};
const glueDatabase = resolveTemplateValue(databaseProperties.DatabaseInput, refs) as { Name: string };
const glueTables = resources
  .filter((resource) => resource.Type === 'AWS::Glue::Table')
  .map(
    (resource) =>
      resolveTemplateValue((resource.Properties as { TableInput: unknown }).TableInput, refs) as GlueTableInput,
  );
const namedQueries = resources
  .filter((resource) => resource.Type === 'AWS::Athena::NamedQuery')
  .map((resource) => resource.Properties as { Name: string; Database: string; QueryString: string });

/** The bucket's `s3://incident-bucket/…` is the Trino catalog's local file system root. */
const locationOf = (s3Location: string) => {
  if (!s3Location.startsWith(`s3://${BUCKET}/`)) throw new Error(`${s3Location} is not in the incident bucket`);
  return `local:///${s3Location.slice(`s3://${BUCKET}/`.length)}`;
};

/** Rows compared as sets (JSON text, sorted): a query's ORDER BY leaves ties in any order. */
const asSortedJson = (rows: readonly (readonly unknown[])[]) => rows.map((row) => JSON.stringify(row)).sort();

let trino: TrinoServer;
let engine: EngineReports;
let startedAt: Date;

beforeAll(async () => {
  // Prepare: Trino starts (a cold JVM: the longest part) while the engine answers findings on the emulator.
  const started = Date.now();
  const [server, written] = await Promise.allSettled([
    startTrinoServer(),
    writeEngineReports(emulatorEndpoint(), { rounds: 14, days: 12 }),
  ]);
  if (server.status === 'fulfilled') trino = server.value;
  if (written.status === 'rejected') throw written.reason;
  if (server.status === 'rejected') throw server.reason;
  engine = written.value;
  startedAt = new Date();
  console.info(
    `Trino ready and ${engine.reports.length} reports written in ${Math.round((Date.now() - started) / 1000)} s`,
  );
  for (const object of engine.objects) {
    const file = join(trino.dataRoot, object.key);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, object.body);
  }
  await trino.query(
    `CREATE SCHEMA "${glueDatabase.Name}" WITH (location = 'local:///.databases/${glueDatabase.Name}')`,
  );
  for (const table of glueTables) await trino.query(trinoTableOfGlueTable(table, glueDatabase.Name, locationOf));
}, 600_000);

afterAll(async () => {
  await trino?.stop();
});

/** The latest report of each finding (the most deliveries listed): what the named queries read (namedQueries.ts). */
function latestReportPerFinding(reports: EngineReports['reports']): IncidentReport[] {
  const latest = new Map<string, IncidentReport>();
  for (const { report } of reports) {
    const known = latest.get(report.findingId);
    if (known === undefined || report.deliveries.length > known.deliveries.length) latest.set(report.findingId, report);
  }
  return [...latest.values()];
}

describe('the Athena tables and named queries of the central template, on Trino 476', () => {
  it('read reports of every disposition, response mode and failure the engine writes, each valid and one line', () => {
    // Assess: core's schema (from which the Glue columns are generated) holds every report as written: nothing
    // extra (zod drops unknown keys, so a report with more would differ), nothing of another type.
    for (const { key, report } of engine.reports) {
      expect(incidentReportSchema.parse(report), key).toEqual(report);
    }
    expect(new Set(engine.reports.map(({ report }) => report.disposition))).toEqual(new Set(DISPOSITIONS));
    expect(new Set(engine.reports.map(({ report }) => report.responseMode.mode))).toEqual(new Set(['observe', 'full']));
    expect(engine.reports.some(({ report }) => report.steps.some((step) => step.status === 'failed'))).toBe(true);
    expect(engine.releasedReportKeys).toHaveLength(2);
    expect(engine.objects.filter((object) => object.key.startsWith('releases/'))).toHaveLength(2);
    for (const object of engine.objects.filter((candidate) => candidate.key.startsWith('incidents/'))) {
      expect(object.body.trimEnd().split('\n'), object.key).toHaveLength(1);
    }
  });

  it('hold a finding delivered twice as two reports, the later one listing both deliveries', () => {
    // Assess: written once each (If-None-Match); the named queries read the latest of them only.
    const byFinding = new Map<string, EngineReports['reports'][number][]>();
    for (const entry of engine.reports) {
      byFinding.set(entry.report.findingId, [...(byFinding.get(entry.report.findingId) ?? []), entry]);
    }
    const repeated = [...byFinding.values()].filter((reports) => reports.length > 1);
    expect(repeated).toHaveLength(1);
    const [first, second] = [...(repeated[0] ?? [])].sort(
      (a, b) => a.report.deliveries.length - b.report.deliveries.length,
    );
    expect(second?.key).toBe(first?.key.replace(/\.json$/, '.delivery-2.json'));
    expect(second?.report.deliveries.length).toBeGreaterThan(first?.report.deliveries.length ?? 0);
    expect(latestReportPerFinding(engine.reports)).toHaveLength(byFinding.size);
  });

  it('read every report once from `incidents`, and nothing else of the bucket (state, release records)', async () => {
    // Act
    const result = await trino.query(
      'SELECT count(*), count(DISTINCT findingid), count(DISTINCT disposition) FROM incidents',
      glueDatabase.Name,
    );

    // Assess
    expect(engine.objects.length).toBeGreaterThan(engine.reports.length);
    expect(result.rows).toEqual([
      [engine.reports.length, new Set(engine.reports.map(({ report }) => report.findingId)).size, DISPOSITIONS.length],
    ]);
  });

  it.each(namedQueries.map((query) => [query.Name, query] as const))(
    'run the named query %s verbatim and return exactly the rows the reports call for',
    async (name, query) => {
      // Prepare
      const expectedOf = EXPECTED_QUERY_ROWS[name];
      if (expectedOf === undefined)
        throw new Error(`No expected rows for the named query ${name}: add them to EXPECTED_QUERY_ROWS`);

      // Act
      const result = await trino.query(query.QueryString, query.Database);

      // Assess
      const expected = expectedOf(latestReportPerFinding(engine.reports), startedAt);
      expect(expected.rows.length, 'the reports give this query something to find').toBeGreaterThan(0);
      expect(result.columns).toEqual(expected.columns);
      expect(asSortedJson(result.rows)).toEqual(asSortedJson(expected.rows));
      const order = result.columns.indexOf(expected.orderedBy);
      const keys = result.rows.map((row) => row[order] as string | number);
      expect(keys).toEqual([...keys].sort((left, right) => (left < right ? 1 : left > right ? -1 : 0)));
      console.info(`${name}: ${result.rows.length} rows`);
    },
  );

  it('find one account’s reports through `incidents_by_account`’s projection, by account, region and day', async () => {
    // Prepare
    const accounts = [...new Set(engine.reports.map(({ report }) => report.accountId))];
    const dayOf = (timestamp: string) => timestamp.slice(0, 10).replaceAll('-', '/');

    for (const account of accounts) {
      const own = engine.reports.filter(({ report }) => report.accountId === account).map(({ report }) => report);
      const [sample] = own as [(typeof own)[number]];

      // Act
      const all = await trino.query(
        `SELECT findingid FROM incidents_by_account WHERE account_id = '${account}'`,
        glueDatabase.Name,
      );
      const oneDay = await trino.query(
        `SELECT findingid FROM incidents_by_account WHERE account_id = '${account}' AND aws_region = '${sample.region}' AND day = '${dayOf(sample.timestamp)}'`,
        glueDatabase.Name,
      );

      // Assess
      expect(all.rows.map(([id]) => id).sort(), account).toEqual(own.map((report) => report.findingId).sort());
      expect(oneDay.rows.map(([id]) => id).sort()).toEqual(
        own
          .filter((report) => report.region === sample.region && dayOf(report.timestamp) === dayOf(sample.timestamp))
          .map((report) => report.findingId)
          .sort(),
      );
    }
  });

  it('project exactly the regions and days the parameters ProjectionRegions and ProjectionStartDay say', async () => {
    // Prepare: the same table, created with other parameter values: one region, from the day of its newest report,
    // for an account with reports both inside and outside that.
    const dayOfReport = (timestamp: string) => timestamp.slice(0, 10).replaceAll('-', '/');
    const [newest] = engine.reports
      .filter(({ report }) => report.region === 'us-east-1')
      .sort((left, right) => right.report.timestamp.localeCompare(left.report.timestamp));
    if (newest === undefined) throw new Error('The engine wrote no report in us-east-1');
    const account = newest.report.accountId;
    const startDay = dayOfReport(newest.report.timestamp);
    const byAccount = resources.find(
      (resource) =>
        resource.Type === 'AWS::Glue::Table' &&
        (resource.Properties as { TableInput: { Name: string } }).TableInput.Name === 'incidents_by_account',
    );
    if (byAccount === undefined) throw new Error('The template has no Glue table incidents_by_account');
    const narrowed = resolveTemplateValue((byAccount.Properties as { TableInput: unknown }).TableInput, {
      ...refs,
      ProjectionRegions: 'us-east-1',
      ProjectionStartDay: startDay,
    }) as GlueTableInput;
    await trino.query(`CREATE SCHEMA narrowed WITH (location = 'local:///.databases/narrowed')`);
    await trino.query(trinoTableOfGlueTable(narrowed, 'narrowed', locationOf));

    // Act
    const found = await trino.query(
      `SELECT findingid FROM incidents_by_account WHERE account_id = '${account}'`,
      'narrowed',
    );

    // Assess: default parameters cover every report (the test above); these only us-east-1 from startDay.
    const expected = engine.reports
      .map(({ report }) => report)
      .filter((report) => report.accountId === account && report.region === 'us-east-1')
      .filter((report) => dayOfReport(report.timestamp) >= startDay);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(engine.reports.filter(({ report }) => report.accountId === account).length);
    expect(found.rows.map(([id]) => id).sort()).toEqual(expected.map((report) => report.findingId).sort());
  });
});
