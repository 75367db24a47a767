import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { releaseRecordsPrefixOf } from '@cryptominer-defense/core';
import { findIncidentReport, listIncidentReportObjects, ReleaseError } from '@cryptominer-defense/release';
import { reportBucketOf } from '../aws/operatorSettings';
import { reportsS3Client } from '../aws/reportsS3Client';
import { type Command, type CommandIO, UsageError } from '../command';
import { parseCommandFlags } from '../flags/parseCommandFlags';
import { outputFlags, outputFormatOf, writeOutput } from '../output/outputFormat';
import { createProgress, type Progress } from '../output/progress';
import { LIST_FLAGS, listReports } from '../reports/listReports';
import { incidentViewOf } from '../reports/render/incidentView';
import { renderHtml } from '../reports/render/renderHtml';
import { renderMarkdown } from '../reports/render/renderMarkdown';
import { describeReport } from './describeReport';

const HELP = `Usage: cli reports list [--account <id>] [--region <r>] [--type <finding type>] [--since <date>] [--pending] [--bucket <name>] [--output table|json|csv]
       cli reports show <key|findingId> [--format text|md|html] [--bucket <name>] [--output table|json]

Reads the incident reports in the central bucket (incidents/<account>/<region>/<yyyy>/<mm>/<dd>/…).

list   one line per report, newest first: time, account, region, instance, finding type, disposition, and
       whether a person is needed. Filters: --account (12 digits), --region, --type (exact, or a prefix ending
       in *, e.g. 'CryptoCurrency:*'), --since (a date or time, ISO 8601, e.g. 2026-11-01), --pending (only
       approval-mode incidents nobody approved or rejected yet, and that were not released: what
       "cli approve" or "cli reject" waits for). Pages through the bucket and shows progress on a terminal.
show   one report in full: what was done, the step outcomes, what needs a person, what release would undo,
       and the releases already recorded for it. By key, or by GuardDuty finding id (scans the bucket).
       --format md: a Markdown document (for a ticket); --format html: one self-contained HTML file (inline
       CSS, no script, nothing fetched), e.g. cli reports show <id> --format html > incident.html.

  --bucket <name>  the central report bucket (default: REPORT_BUCKET)
  --format <f>     show only: text (the default), md or html
  --output <o>     list: table (the default; fits 120 columns, long cells cut with …), json or csv (every
                   field in full); show: table (the text view, the default) or json (one report has no csv)
  --json           --output json: machine output on stdout (list: an array of summaries; show:
                   {"key","report","releases"})

Environment: AWS_REGION (the central region), REPORT_BUCKET. Exit: 0 done; 2 invalid usage or no such report.`;

/** One report is not rows: no csv. */
const SHOW_OUTPUTS = ['table', 'json'] as const;

const SHOW_FLAGS = {
  bucket: { type: 'string' },
  format: { type: 'string', choices: ['text', 'md', 'html'] },
  ...outputFlags(SHOW_OUTPUTS),
} as const;

async function showReport(args: readonly string[], io: CommandIO, progress: Progress): Promise<number> {
  const { values, positionals } = parseCommandFlags('reports show', args, SHOW_FLAGS, { positionals: 1 });
  const [reference] = positionals;
  if (reference === undefined) {
    throw new UsageError('reports show needs a report key or a finding id. Run "cli reports --help".');
  }
  const format = showFormatOf(values);
  const bucket = reportBucketOf(values.bucket, io.env);
  const s3 = reportsS3Client(io);
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
    if (format === 'json' || format === 'text') {
      writeOutput(io, format === 'json' ? 'json' : 'table', {
        json: () => ({ key, report, releases }),
        table: () => describeReport(bucket, key, report, releases),
      });
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

/** `--output table` is the text view; md and html are documents of their own, so --format excludes --output. */
function showFormatOf(values: {
  readonly format?: string | undefined;
  readonly output?: string | undefined;
  readonly json: boolean;
}): 'text' | 'md' | 'html' | 'json' {
  const output = outputFormatOf('reports show', values, SHOW_OUTPUTS);
  if (values.format !== undefined && (values.json || values.output !== undefined)) {
    throw new UsageError(
      `reports show: ${values.json ? '--json' : `--output ${values.output}`} and --format are alternatives; give one of them.`,
    );
  }
  // parseCommandFlags let only SHOW_FLAGS.format's choices through.
  return output === 'json' ? 'json' : ((values.format as 'text' | 'md' | 'html' | undefined) ?? 'text');
}

async function readJson(s3: S3Client, bucket: string, key: string): Promise<unknown> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse((await response.Body?.transformToString('utf8')) ?? 'null');
}

/** The reports in the central bucket: list and show. */
export const reports: Command = {
  summary: 'List the incident reports in the central bucket, or show one (by key or finding id)',
  help: HELP,
  flags: {},
  subcommands: { list: LIST_FLAGS, show: SHOW_FLAGS },
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
