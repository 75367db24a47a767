import { centralRegionOf, usesCustomS3Endpoint } from '../aws/operatorSettings';
import { type Command, UsageError } from '../command';
import type { CheckResult } from '../doctor/checkResult';
import { runDoctor } from '../doctor/runDoctor';
import { parseCommandFlags } from '../flags/parseCommandFlags';
import { outputFlags, outputFormatOf, writeOutput } from '../output/outputFormat';
import { createProgress } from '../output/progress';
import { renderCsv } from '../output/renderCsv';
import { renderTable } from '../output/renderTable';

const DEFAULT_CONCURRENCY = 16;

const HELP = `Usage: cli doctor [--stack-name <name>] [--forwarded-regions <r1,r2>] [--via-role-name <name>]
                  [--concurrency <n>] [--output table|json|csv]

Checks a deployment without changing anything (only Describe, Get and List calls, AssumeRole and a read under
the assumed role), and prints one row per check:
  the central stack (its outputs and parameters say where everything is), the incident bucket, the findings
  queue and its dead-letter queue, the responder function's configuration (parsed as the responder parses it,
  and naming this stack's bucket, queue and role), the rules that put findings on the queue (default bus and
  forwarding bus), the four alarms; the forwarder rule of every forwarded region; and the responder role in
  every ACTIVE account of the StackSet's target OUs.

  --stack-name <name>            the central stack (default: CryptominerCentral)
  --forwarded-regions <r1,r2>    the regions with a forwarder (default: the stack's ProjectionRegions but
                                 the home region)
  --via-role-name <name>         a role you may assume in every account (e.g. an audit role): check that the
                                 responder role exists there (iam:GetRole) instead of assuming it, which its
                                 trust allows to the central function's role only
  --concurrency <n>              accounts checked at once (default ${DEFAULT_CONCURRENCY})
  --output <o>                   table (the default; fits 120 columns, long cells wrapped), json: {"ok": …,
                                 "checks": [{check, target, status, errorCode?, fix?}, …]}, or csv: a line
                                 per check (check, target, status, errorCode, fix)
  --json                         --output json

Credentials: yours (the AWS SDK's default chain), in the central account.
Environment: AWS_REGION (the central region).
Exit: 0 every check OK; 1 any check FAILED (the row says the error code and the fix); 2 invalid usage.`;

function commaList(value: string | undefined): string[] | undefined {
  return value
    ?.split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function concurrencyOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_CONCURRENCY;
  const concurrency = Number(value);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 100) {
    throw new UsageError(`doctor: --concurrency is "${value}", but must be a whole number from 1 to 100.`);
  }
  return concurrency;
}

function checkTable(results: readonly CheckResult[]): string {
  return renderTable(results, [
    { header: 'CHECK', value: (result) => result.check, wrap: true },
    { header: 'TARGET', value: (result) => result.target, wrap: true },
    { header: 'RESULT', value: (result) => result.status },
    { header: 'ERROR', value: (result) => result.errorCode ?? '' },
    { header: 'FIX', value: (result) => result.fix ?? '', wrap: true },
  ]);
}

/** A check's fields by their JSON names. */
const CSV_COLUMNS = (['check', 'target', 'status', 'errorCode', 'fix'] as const).map((name) => ({
  header: name,
  value: (result: CheckResult) => result[name] ?? '',
}));

const OUTPUTS = ['table', 'json', 'csv'] as const;

const FLAGS = {
  'stack-name': { type: 'string' },
  'forwarded-regions': { type: 'string' },
  'via-role-name': { type: 'string' },
  concurrency: { type: 'string' },
  ...outputFlags(OUTPUTS),
} as const;

/** Checks a deployment, read-only: a row per check, exit 1 on any gap. */
export const doctor: Command = {
  summary: 'Check a deployment without changing anything: a row per check, exit 1 on any gap',
  help: HELP,
  flags: FLAGS,
  async run(args, io) {
    const { values } = parseCommandFlags('doctor', args, FLAGS);
    const output = outputFormatOf('doctor', values, OUTPUTS);
    const forwardedRegions = commaList(values['forwarded-regions']);
    const results = await createProgress(io.stderr).spin(
      'Checking the deployment',
      runDoctor({
        homeRegion: centralRegionOf(io.env),
        concurrency: concurrencyOf(values.concurrency),
        forcePathStyle: usesCustomS3Endpoint(io.env),
        ...(values['stack-name'] === undefined ? {} : { stackName: values['stack-name'] }),
        ...(forwardedRegions === undefined ? {} : { forwardedRegions }),
        ...(values['via-role-name'] === undefined ? {} : { viaRoleName: values['via-role-name'] }),
      }),
    );
    const failed = results.filter((result) => result.status === 'FAILED').length;
    writeOutput(io, output, {
      json: () => ({ ok: failed === 0, checks: results }),
      csv: () => renderCsv(results, CSV_COLUMNS),
      table: () =>
        `${checkTable(results)}\n\n${failed === 0 ? `All ${results.length} checks OK.` : `${failed} of ${results.length} checks FAILED.`}`,
    });
    return failed === 0 ? 0 : 1;
  },
};
