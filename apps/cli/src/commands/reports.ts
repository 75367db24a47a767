import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  INCIDENT_REPORT_PREFIX,
  type IncidentReport,
  mapWithConcurrency,
  releaseRecordsPrefixOf,
} from '@cryptominer-defense/core';
import {
  findIncidentReport,
  listIncidentReportObjects,
  NotAnIncidentReportError,
  ReleaseError,
  readIncidentReport,
} from '@cryptominer-defense/release';
import { centralRegionOf, reportBucketOf, usesCustomS3Endpoint } from '../aws/operatorSettings';
import { type Command, type CommandIO, UsageError } from '../command';
import { parseCommandFlags } from '../flags/parseCommandFlags';
import { createProgress, type Progress } from '../output/progress';
import { renderTable } from '../output/renderTable';
import { incidentViewOf } from '../reports/render/incidentView';
import { renderHtml } from '../reports/render/renderHtml';
import { renderMarkdown } from '../reports/render/renderMarkdown';
import { describeReport } from './describeReport';

const HELP = `Usage: cli reports list [--account <id>] [--region <r>] [--type <finding type>] [--since <date>] [--bucket <name>] [--json]
       cli reports show <key|findingId> [--format text|md|html] [--bucket <name>] [--json]

Reads the incident reports in the central bucket (incidents/<account>/<region>/<yyyy>/<mm>/<dd>/…).

list   one line per report, newest first: time, account, region, instance, finding type, disposition, and
       whether a person is needed. Filters: --account (12 digits), --region, --type (exact, or a prefix ending
       in *, e.g. 'CryptoCurrency:*'), --since (a date or time, ISO 8601, e.g. 2026-11-01). Pages through the
       bucket and shows progress on a terminal.
show   one report in full: what was done, the step outcomes, what needs a person, what release would undo,
       and the releases already recorded for it. By key, or by GuardDuty finding id (scans the bucket).
       --format md: a Markdown document (for a ticket); --format html: one self-contained HTML file (inline
       CSS, no script, nothing fetched), e.g. cli reports show <id> --format html > incident.html.

  --bucket <name>  the central report bucket (default: REPORT_BUCKET)
  --format <f>     show only: text (the default), md or html
  --json           machine output on stdout (list: an array of summaries; show: {"key","report","releases"})

Environment: AWS_REGION (the central region), REPORT_BUCKET. Exit: 0 done; 2 invalid usage or no such report.`;

interface ReportSummary {
  readonly key: string;
  readonly timestamp: string;
  readonly accountId: string;
  readonly region: string;
  readonly instanceId: string | null;
  readonly findingId: string;
  readonly guarddutyFindingType: string;
  readonly disposition: IncidentReport['disposition'];
  readonly actor: string;
  readonly manualInterventionRequired: boolean;
}

function summaryOf(key: string, report: IncidentReport): ReportSummary {
  return {
    key,
    timestamp: report.timestamp,
    accountId: report.accountId,
    region: report.region,
    instanceId: report.instanceId,
    findingId: report.findingId,
    guarddutyFindingType: report.guarddutyFindingType,
    disposition: report.disposition,
    actor: report.actor.arn ?? report.actor.type,
    manualInterventionRequired: report.response.manualInterventionRequired,
  };
}

function parseSince(value: string | undefined): Date | null {
  if (value === undefined) return null;
  const since = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(since.getTime())) {
    throw new UsageError(`reports list: --since "${value}" is not an ISO 8601 date or time (e.g. 2026-11-01).`);
  }
  return since;
}

function typeMatcher(value: string | undefined): (type: string) => boolean {
  if (value === undefined) return () => true;
  if (value.endsWith('*')) return (type) => type.startsWith(value.slice(0, -1));
  return (type) => type === value;
}

/** The day a key is filed under (…/<yyyy>/<mm>/<dd>/…), to skip older reports without reading them. */
function dayOfKey(key: string): string | null {
  const match = /^incidents\/\d{12}\/[^/]+\/(\d{4})\/(\d{2})\/(\d{2})\//.exec(key);
  return match === null ? null : `${match[1]}-${match[2]}-${match[3]}`;
}

function s3For(io: CommandIO): S3Client {
  return new S3Client({ region: centralRegionOf(io.env), forcePathStyle: usesCustomS3Endpoint(io.env) });
}

async function listReports(args: readonly string[], io: CommandIO, progress: Progress): Promise<number> {
  const { values } = parseCommandFlags('reports list', args, {
    account: { type: 'string' },
    region: { type: 'string' },
    type: { type: 'string' },
    since: { type: 'string' },
    bucket: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (values.account !== undefined && !/^\d{12}$/.test(values.account)) {
    throw new UsageError(`reports list: --account "${values.account}" is not an AWS account id (12 digits).`);
  }
  const since = parseSince(values.since);
  const matchesType = typeMatcher(values.type);
  const bucket = reportBucketOf(values.bucket, io.env);
  const s3 = s3For(io);
  try {
    // The key's layout narrows the listing: account, then region, are prefixes.
    const prefix =
      values.account === undefined
        ? INCIDENT_REPORT_PREFIX
        : `${INCIDENT_REPORT_PREFIX}${values.account}/${values.region === undefined ? '' : `${values.region}/`}`;
    const keys: string[] = [];
    for await (const page of listIncidentReportObjects(s3, bucket, prefix)) {
      for (const { key } of page) {
        const [, , region] = key.split('/');
        if (values.region !== undefined && region !== values.region) continue;
        const day = dayOfKey(key);
        // A report filed the day before --since can still be after it in another time zone: compare by day.
        if (since !== null && day !== null && day < since.toISOString().slice(0, 10)) continue;
        keys.push(key);
      }
      // The total is unknown until the last page: count up, then settle.
      progress.count('Listing reports', keys.length, keys.length + 1);
    }
    progress.count('Listing reports', keys.length, keys.length);
    let read = 0;
    const found = await mapWithConcurrency(keys, 8, async (key) => {
      const report = await readIncidentReport(s3, bucket, key).catch((error: unknown) => {
        // One foreign object must not hide the others: say so and go on.
        if (error instanceof NotAnIncidentReportError) {
          progress.line(`Skipped: ${error.message}`);
          return null;
        }
        throw error;
      });
      progress.count('Reading reports', ++read, keys.length);
      return report === null ? null : summaryOf(key, report);
    });
    const summaries = found
      .flatMap((summary) => (summary === null ? [] : [summary]))
      .filter((summary) => matchesType(summary.guarddutyFindingType))
      .filter((summary) => since === null || new Date(summary.timestamp) >= since)
      .sort((left, right) => right.timestamp.localeCompare(left.timestamp));
    if (values.json) {
      io.stdout.write(`${JSON.stringify(summaries, null, 2)}\n`);
      return 0;
    }
    if (summaries.length === 0) {
      io.stdout.write(`No reports in s3://${bucket}/${prefix} match.\n`);
      return 0;
    }
    io.stdout.write(
      `${renderTable(summaries, [
        { header: 'TIME', value: (summary) => summary.timestamp.replace(/\.\d+Z$/, 'Z') },
        { header: 'ACCOUNT', value: (summary) => summary.accountId },
        { header: 'REGION', value: (summary) => summary.region },
        { header: 'INSTANCE', value: (summary) => summary.instanceId ?? '-' },
        { header: 'FINDING TYPE', value: (summary) => summary.guarddutyFindingType },
        { header: 'DISPOSITION', value: (summary) => summary.disposition },
        { header: 'PERSON', value: (summary) => (summary.manualInterventionRequired ? 'needed' : '-') },
        { header: 'KEY', value: (summary) => summary.key },
      ])}\n${summaries.length} report(s) in s3://${bucket}.\n`,
    );
    return 0;
  } finally {
    s3.destroy();
  }
}

async function showReport(args: readonly string[], io: CommandIO, progress: Progress): Promise<number> {
  const { values, positionals } = parseCommandFlags(
    'reports show',
    args,
    { bucket: { type: 'string' }, format: { type: 'string' }, json: { type: 'boolean', default: false } },
    { positionals: 1 },
  );
  const [reference] = positionals;
  if (reference === undefined) {
    throw new UsageError('reports show needs a report key or a finding id. Run "cli reports --help".');
  }
  const format = showFormatOf(values.format, values.json);
  const bucket = reportBucketOf(values.bucket, io.env);
  const s3 = s3For(io);
  try {
    const { key, report } = await progress.spin(
      `Finding the report for ${reference}`,
      findIncidentReport(s3, bucket, reference, {
        onProgress: (read, total) => progress.count('Reading reports', read, total),
      }),
    );
    const releases: { key: string; record: unknown }[] = [];
    for await (const page of listIncidentReportObjects(s3, bucket, releaseRecordsPrefixOf(key))) {
      for (const object of page) releases.push({ key: object.key, record: await readJson(s3, bucket, object.key) });
    }
    if (format === 'json') {
      io.stdout.write(`${JSON.stringify({ key, report, releases }, null, 2)}\n`);
      return 0;
    }
    if (format === 'text') {
      io.stdout.write(`${describeReport(bucket, key, report, releases)}\n`);
      return 0;
    }
    const view = incidentViewOf(
      bucket,
      key,
      report,
      releases.map((release) => release.key),
    );
    io.stdout.write(format === 'md' ? renderMarkdown(view) : renderHtml(view));
    return 0;
  } catch (error) {
    if (error instanceof ReleaseError) throw new UsageError(error.message, { cause: error });
    throw error;
  } finally {
    s3.destroy();
  }
}

const SHOW_FORMATS = ['text', 'md', 'html'] as const;

function showFormatOf(format: string | undefined, json: boolean): (typeof SHOW_FORMATS)[number] | 'json' {
  if (format !== undefined && !(SHOW_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`reports show: --format "${format}" is not one of ${SHOW_FORMATS.join(', ')}.`);
  }
  if (json && format !== undefined) {
    throw new UsageError('reports show: --json and --format are alternatives; give one of them.');
  }
  return json ? 'json' : ((format as (typeof SHOW_FORMATS)[number] | undefined) ?? 'text');
}

async function readJson(s3: S3Client, bucket: string, key: string): Promise<unknown> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse((await response.Body?.transformToString('utf8')) ?? 'null');
}

/** The reports in the central bucket: list and show. */
export const reports: Command = {
  summary: 'List the incident reports in the central bucket, or show one (by key or finding id)',
  help: HELP,
  async run(args, io) {
    const [subcommand, ...rest] = args;
    const progress = createProgress(io.stderr);
    try {
      if (subcommand === 'list') return await listReports(rest, io, progress);
      if (subcommand === 'show') return await showReport(rest, io, progress);
    } catch (error) {
      if (error instanceof ReleaseError) throw new UsageError(error.message, { cause: error });
      throw error;
    }
    throw new UsageError(
      `reports needs "list" or "show"${subcommand === undefined ? '' : ` (got "${subcommand}")`}. Run "cli reports --help".`,
    );
  },
};
