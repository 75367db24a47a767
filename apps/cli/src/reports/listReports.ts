import type { S3Client } from '@aws-sdk/client-s3';
import { INCIDENT_REPORT_PREFIX, type IncidentReport, mapWithConcurrency } from '@cryptominer-defense/core';
import {
  decidedReportKeys,
  listIncidentReportObjects,
  NotAnIncidentReportError,
  readIncidentReport,
  releasedReportKeys,
} from '@cryptominer-defense/release';
import { reportBucketOf } from '../aws/operatorSettings';
import { reportsS3Client } from '../aws/reportsS3Client';
import { type CommandIO, UsageError } from '../command';
import { parseCommandFlags } from '../flags/parseCommandFlags';
import { outputFlags, outputFormatOf, writeOutput } from '../output/outputFormat';
import type { Progress } from '../output/progress';
import { renderCsv } from '../output/renderCsv';
import { renderTable, type TableColumn } from '../output/renderTable';

const LIST_OUTPUTS = ['table', 'json', 'csv'] as const;

/** The flags of `reports list`. */
export const LIST_FLAGS = {
  account: { type: 'string' },
  region: { type: 'string' },
  type: { type: 'string' },
  since: { type: 'string' },
  pending: { type: 'boolean', default: false },
  bucket: { type: 'string' },
  ...outputFlags(LIST_OUTPUTS),
} as const;

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
  /** An approval-mode incident whose stop and freeze wait for `cli approve` (decided or not: see --pending). */
  readonly awaitsApproval: boolean;
}

const TABLE_COLUMNS: readonly TableColumn<ReportSummary>[] = [
  { header: 'TIME', value: (summary) => summary.timestamp.replace(/\.\d+Z$/, 'Z') },
  { header: 'ACCOUNT', value: (summary) => summary.accountId },
  { header: 'REGION', value: (summary) => summary.region },
  { header: 'INSTANCE', value: (summary) => summary.instanceId ?? '-' },
  { header: 'FINDING TYPE', value: (summary) => summary.guarddutyFindingType, narrowable: true },
  { header: 'DISPOSITION', value: (summary) => summary.disposition },
  {
    header: 'PERSON',
    value: (summary) => (summary.awaitsApproval ? 'approve?' : summary.manualInterventionRequired ? 'needed' : '-'),
  },
  // The end of a key (instance and sequence) tells reports apart; account, region and day are columns already.
  { header: 'KEY', value: (summary) => summary.key, elide: 'start', narrowable: true },
];

/** Every field of the JSON summary, by its name. */
const CSV_COLUMNS = (
  [
    'timestamp',
    'accountId',
    'region',
    'instanceId',
    'findingId',
    'guarddutyFindingType',
    'disposition',
    'actor',
    'manualInterventionRequired',
    'awaitsApproval',
    'key',
  ] as const
).map((name) => ({ header: name, value: (summary: ReportSummary) => String(summary[name] ?? '') }));

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
    awaitsApproval: report.approval?.status === 'pending',
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

/** Keeps the incidents that wait for approval and that nobody decided on or released (two listings in all). */
async function undecidedFilter(s3: S3Client, bucket: string): Promise<(summary: ReportSummary) => boolean> {
  const [decided, released] = await Promise.all([decidedReportKeys(s3, bucket), releasedReportKeys(s3, bucket)]);
  return (summary) => summary.awaitsApproval && !decided.has(summary.key) && !released.has(summary.key);
}

/** `cli reports list`: the summaries of the reports that match, newest first. */
export async function listReports(args: readonly string[], io: CommandIO, progress: Progress): Promise<number> {
  const { values } = parseCommandFlags('reports list', args, LIST_FLAGS);
  const output = outputFormatOf('reports list', values, LIST_OUTPUTS);
  if (values.account !== undefined && !/^\d{12}$/.test(values.account)) {
    throw new UsageError(`reports list: --account "${values.account}" is not an AWS account id (12 digits).`);
  }
  const since = parseSince(values.since);
  const matchesType = typeMatcher(values.type);
  const bucket = reportBucketOf(values.bucket, io.env);
  const s3 = reportsS3Client(io);
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
    const stillPending = values.pending ? await undecidedFilter(s3, bucket) : () => true;
    const summaries = found
      .flatMap((summary) => (summary === null ? [] : [summary]))
      .filter(stillPending)
      .filter((summary) => matchesType(summary.guarddutyFindingType))
      .filter((summary) => since === null || new Date(summary.timestamp) >= since)
      .sort((left, right) => right.timestamp.localeCompare(left.timestamp));
    writeOutput(io, output, {
      json: () => summaries,
      csv: () => renderCsv(summaries, CSV_COLUMNS),
      table: () =>
        summaries.length === 0
          ? `No reports in s3://${bucket}/${prefix} match.`
          : `${renderTable(summaries, TABLE_COLUMNS)}\n${summaries.length} report(s) in s3://${bucket}.`,
    });
    return 0;
  } finally {
    s3.destroy();
  }
}
