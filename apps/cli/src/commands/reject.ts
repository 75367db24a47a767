import { S3Client } from '@aws-sdk/client-s3';
import { ReleaseError, writeApprovalDecision } from '@cryptominer-defense/release';
import { decisionOn, findPendingIncident } from '../approval/pendingIncident';
import { operatorArnIn } from '../aws/memberAccountAccess';
import { centralRegionOf, reportBucketOf, usesCustomS3Endpoint } from '../aws/operatorSettings';
import { type Command, UsageError } from '../command';
import { parseCommandFlags } from '../flags/parseCommandFlags';
import { outputFlags, outputFormatOf, writeOutput } from '../output/outputFormat';
import { createProgress } from '../output/progress';
import { wrapLines } from '../output/wrapLines';

const HELP = `Usage: cli reject <findingId|key> [--reason <text>] [--bucket <name>] [--output table|json]

Rejects what an approval-mode response left for a person: the instance stays contained (isolated, its evidence
kept), running, and its launcher is not frozen. Records who rejected, when and why beside the report
(approvals/<report key>/decision.json); the report itself is never changed, and nothing in the member account is.
To give the instance back afterwards: cli release.

It refuses an incident that waits for no approval, one already approved or rejected, and one that was released.

  --reason <text>  why (kept in the record)
  --bucket <name>  the central report bucket (default: REPORT_BUCKET)
  --output <o>     table (the default: the decision in words) or json: {"decision", "decisionKey"}
  --json           --output json

Environment: AWS_REGION (the central region), REPORT_BUCKET.
Exit: 0 recorded; 2 invalid usage, nothing to reject, or the decision could not be recorded.`;

/** One decision is not rows: no csv. */
const OUTPUTS = ['table', 'json'] as const;

const FLAGS = { reason: { type: 'string' }, bucket: { type: 'string' }, ...outputFlags(OUTPUTS) } as const;

/** Records that a person decided against the stop and the freeze: the instance stays contained. */
export const reject: Command = {
  summary: 'Reject the stop and the freeze an approval-mode response waits for (the instance stays contained)',
  help: HELP,
  flags: FLAGS,
  async run(args, io) {
    const { values, positionals } = parseCommandFlags('reject', args, FLAGS, { positionals: 1 });
    const output = outputFormatOf('reject', values, OUTPUTS);
    const [reference] = positionals;
    if (reference === undefined)
      throw new UsageError('reject needs a finding id or a report key. Run "cli reject --help".');
    if (values.reason !== undefined && values.reason.trim() === '') {
      throw new UsageError('reject: --reason is empty: say why, or leave --reason out.');
    }
    const bucket = reportBucketOf(values.bucket, io.env);
    const centralRegion = centralRegionOf(io.env);
    const progress = createProgress(io.stderr);
    const s3 = new S3Client({ region: centralRegion, forcePathStyle: usesCustomS3Endpoint(io.env) });
    try {
      const incident = await findPendingIncident(s3, bucket, reference, progress);
      const decision = decisionOn(incident, 'rejected', await operatorArnIn(centralRegion), values.reason ?? null);
      const decisionKey = await writeApprovalDecision(s3, bucket, decision).catch((error: unknown) => {
        if (error instanceof ReleaseError) throw new UsageError(error.message, { cause: error });
        throw error;
      });
      writeOutput(io, output, {
        json: () => ({ decision, decisionKey }),
        table: () =>
          wrapLines(
            `Incident ${decision.findingId}: rejected by ${decision.decidedBy} at ${decision.decidedAt} (s3://${bucket}/${decisionKey}).\nThe instance stays contained and running; its launcher is not frozen. Not done: ${decision.pendingSteps.map((step) => step.wouldDo).join('; ')}.`,
          ),
      });
      return 0;
    } finally {
      s3.destroy();
    }
  },
};
