import { S3Client } from '@aws-sdk/client-s3';
import { ConfigurationError, parseConfiguration, type StepRecord } from '@cryptominer-defense/core';
import {
  type ApprovalOutcome,
  ReleaseError,
  writeApprovalDecision,
  writeApprovalOutcome,
} from '@cryptominer-defense/release';
import { runApprovedSteps } from '@cryptominer-defense/responder';
import { decisionOn, findPendingIncident } from '../approval/pendingIncident';
import { memberAccountAccess } from '../aws/memberAccountAccess';
import { centralRegionOf, reportBucketOf, usesCustomS3Endpoint } from '../aws/operatorSettings';
import { type Command, UsageError } from '../command';
import { parseCommandFlags } from '../flags/parseCommandFlags';
import { outcomeDetail } from '../output/outcomeDetail';
import { outputFlags, outputFormatOf, writeOutput } from '../output/outputFormat';
import { createProgress } from '../output/progress';
import { renderTable } from '../output/renderTable';
import { wrapLines } from '../output/wrapLines';

const HELP = `Usage: cli approve <findingId|key> [--role-name <name>] [--bucket <name>] [--output table|json]

Approves what an approval-mode response left for a person: stops (or hibernates) the contained instance, lifting
its stop protection first, and freezes the identity that launched it, as the full response would have. It runs
with YOUR credentials, so the incident's CloudTrail names you, and records who approved and when beside the report
(approvals/<report key>/decision.json, then what each step did in approvals/<report key>/outcome-<time>.json); the
report itself is never changed.

It refuses, changing nothing, an incident that waits for no approval (another mode), one already approved or
rejected (by whom and when is shown), and one that was released. The decision is recorded before anything is
done: of two people approving at once, one acts.

  --role-name <name>  a role you may assume in the incident's account (e.g. OrganizationAccountAccessRole);
                      without it, your credentials must be that account's
  --bucket <name>     the central report bucket (default: REPORT_BUCKET)
  --output <o>        table (the default) or json: {"decision", "decisionKey", "outcome", "outcomeKey"}
  --json              --output json

Environment: AWS_REGION (the central region), REPORT_BUCKET; PROTECTED_PRINCIPALS, RESPONDER_ROLE_NAME and
HIBERNATE_INSTANCES as the function has them (who is never frozen; hibernate when the instance allows it).
Exit: 0 approved and every step done; 1 a step failed (see the table) or the outcome could not be recorded;
2 invalid usage, nothing to approve, or the decision could not be recorded (then nothing was changed).`;

function stepTable(records: readonly StepRecord[]): string {
  return renderTable(records, [
    { header: 'RESULT', value: (record) => record.status },
    { header: 'STEP', value: (record) => `${record.step}${record.action === undefined ? '' : ` ${record.action}`}` },
    { header: 'TARGET', value: (record) => record.target ?? '', wrap: true },
    { header: 'DETAIL', value: outcomeDetail, wrap: true },
  ]);
}

const OUTPUTS = ['table', 'json'] as const;

const FLAGS = { 'role-name': { type: 'string' }, bucket: { type: 'string' }, ...outputFlags(OUTPUTS) } as const;

/** The function's settings that decide how the approved steps act: who is protected, whether to hibernate. */
function functionSettings(env: NodeJS.ProcessEnv, bucket: string, centralRegion: string) {
  try {
    return parseConfiguration({ ...env, REPORT_BUCKET: bucket, AWS_REGION: centralRegion });
  } catch (error) {
    if (error instanceof ConfigurationError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
}

/** Runs the stop and the freeze an approval-mode response holds back, with the operator's credentials. */
export const approve: Command = {
  summary: 'Approve the stop and the freeze an approval-mode response waits for (runs with your credentials)',
  help: HELP,
  flags: FLAGS,
  async run(args, io) {
    const { values, positionals } = parseCommandFlags('approve', args, FLAGS, { positionals: 1 });
    const output = outputFormatOf('approve', values, OUTPUTS);
    const [reference] = positionals;
    if (reference === undefined)
      throw new UsageError('approve needs a finding id or a report key. Run "cli approve --help".');
    const bucket = reportBucketOf(values.bucket, io.env);
    const centralRegion = centralRegionOf(io.env);
    const settings = functionSettings(io.env, bucket, centralRegion);
    const progress = createProgress(io.stderr);
    const s3 = new S3Client({ region: centralRegion, forcePathStyle: usesCustomS3Endpoint(io.env) });
    try {
      const incident = await findPendingIncident(s3, bucket, reference, progress);
      const { report, key } = incident.found;
      // Reached before the decision is written: an approval that could not act must not be recorded as given.
      const access = await memberAccountAccess({
        centralRegion,
        accountId: report.accountId,
        partition: report.partition,
        region: report.region,
        sessionName: 'cryptominer-approve',
        ...(values['role-name'] === undefined ? {} : { roleName: values['role-name'] }),
      });
      try {
        const decision = decisionOn(incident, 'approved', access.operatorArn, null);
        const decisionKey = await writeApprovalDecision(s3, bucket, decision).catch((error: unknown) => {
          if (error instanceof ReleaseError) throw new UsageError(error.message, { cause: error });
          throw error;
        });
        const ran = await progress.spin(
          'Stopping and freezing',
          runApprovedSteps(access.clients, report, {
            protection: {
              responderRoleName: settings.responderRoleName,
              patterns: settings.protectedPrincipalPatterns,
            },
            hibernate: settings.hibernateInstances,
          }),
        );
        const outcome: ApprovalOutcome = {
          kind: 'approval-outcome',
          ranAt: new Date().toISOString(),
          ranBy: access.operatorArn,
          reportKey: key,
          findingId: report.findingId,
          steps: ran.records,
          undo: ran.undo,
          hibernated: ran.hibernated,
        };
        // The changes are made: a record that cannot be written must not hide them (they are printed, exit 1).
        const outcomeKey = await writeApprovalOutcome(s3, bucket, outcome).catch((error: unknown) => {
          if (!(error instanceof ReleaseError)) throw error;
          io.stderr.write(`${error.message}\n`);
          return null;
        });
        const failures = ran.records.filter((record) => record.status === 'failed');
        writeOutput(io, output, {
          json: () => ({ decision, decisionKey, outcome, outcomeKey }),
          table: () =>
            [
              wrapLines(
                `Incident ${report.findingId}: ${report.instanceId ?? 'no instance'}, account ${report.accountId}, ${report.region}\nApproved by ${decision.decidedBy} at ${decision.decidedAt} (s3://${bucket}/${decisionKey})\nActing as: ${access.via}`,
              ),
              stepTable(ran.records),
              wrapLines(
                `Outcome record: ${outcomeKey === null ? 'NOT WRITTEN (see stderr)' : `s3://${bucket}/${outcomeKey}`}${failures.length > 0 ? `\n${failures.length} step(s) failed: the approval stands; fix the cause and finish those steps by hand.` : ''}`,
              ),
            ].join('\n\n'),
        });
        return failures.length === 0 && outcomeKey !== null ? 0 : 1;
      } finally {
        access.destroy();
      }
    } finally {
      s3.destroy();
    }
  },
};
