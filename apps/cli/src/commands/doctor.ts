import { centralRegionOf, usesCustomS3Endpoint } from '../aws/operatorSettings';
import { type Command, UsageError } from '../command';
import type { CheckResult } from '../doctor/checkResult';
import { runDoctor } from '../doctor/runDoctor';
import { parseCommandFlags } from '../flags/parseCommandFlags';
import { createProgress } from '../output/progress';
import { renderTable } from '../output/renderTable';

const DEFAULT_CONCURRENCY = 16;

const HELP = `Usage: cli doctor [--stack-name <name>] [--forwarded-regions <r1,r2>] [--via-role-name <name>]
                  [--concurrency <n>] [--json]

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
  --json                         machine output on stdout: {"ok": …, "checks": [{check, target, status,
                                 errorCode?, fix?}, …]}

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
    { header: 'CHECK', value: (result) => result.check },
    { header: 'TARGET', value: (result) => result.target },
    { header: 'RESULT', value: (result) => result.status },
    { header: 'ERROR', value: (result) => result.errorCode ?? '' },
    { header: 'FIX', value: (result) => result.fix ?? '' },
  ]);
}

/** Checks a deployment, read-only: a row per check, exit 1 on any gap. */
export const doctor: Command = {
  summary: 'Check a deployment without changing anything: a row per check, exit 1 on any gap',
  help: HELP,
  async run(args, io) {
    const { values } = parseCommandFlags('doctor', args, {
      'stack-name': { type: 'string' },
      'forwarded-regions': { type: 'string' },
      'via-role-name': { type: 'string' },
      concurrency: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
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
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ ok: failed === 0, checks: results }, null, 2)}\n`);
    } else {
      io.stdout.write(`${checkTable(results)}\n\n`);
      io.stdout.write(
        failed === 0 ? `All ${results.length} checks OK.\n` : `${failed} of ${results.length} checks FAILED.\n`,
      );
    }
    return failed === 0 ? 0 : 1;
  },
};
