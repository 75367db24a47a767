import { S3Client } from '@aws-sdk/client-s3';
import {
  applyRelease,
  type FalsePositiveStepRecord,
  findIncidentReport,
  type PlannedReleaseStep,
  planRelease,
  ReleaseError,
  type ReleaseRecord,
  type ReleaseStepRecord,
  releaseFalsePositive,
  withApprovedUndo,
  writeReleaseRecord,
} from '@cryptominer-defense/release';
import { falsePositiveClients } from '../aws/falsePositiveClients';
import { memberAccountAccess } from '../aws/memberAccountAccess';
import { centralRegionOf, reportBucketOf, usesCustomS3Endpoint } from '../aws/operatorSettings';
import { type Command, UsageError } from '../command';
import { parseCommandFlags, requireFlag } from '../flags/parseCommandFlags';
import { outcomeDetail } from '../output/outcomeDetail';
import { outputFlags, outputFormatOf, writeOutput } from '../output/outputFormat';
import { createProgress } from '../output/progress';
import { renderTable } from '../output/renderTable';
import { wrapLines } from '../output/wrapLines';

const HELP = `Usage: cli release --report <key|findingId> [--yes] [--false-positive] [--role-name <name>] [--bucket <name>]
                   [--output table|json]

Undoes what an incident report says the response did, in the incident's account and region: puts every
isolated network interface back on its groups, restores the Auto Scaling group's sizes, reactivates the
access keys, restores the role's trust policy, removes the deny policies. It keeps the evidence (snapshots,
tags, termination protection), leaves the instance stopped and out of its group, and cannot restore a
deleted console password: it says so.

It reads the account first and shows the plan; it changes nothing without --yes. Anything changed since the
response (a group resized, a trust policy edited) is not overwritten. With --yes it appends a release record
to the incident in the bucket (releases/<report key>/<time>-<random>.json); the report itself is never changed.

  --report <key|findingId>  the report's key (incidents/…json) or the GuardDuty finding id (scans the bucket)
  --yes                     apply the plan
  --false-positive          with --yes: the finding was a false positive. Its Security Hub workflow becomes RESOLVED
                            (with a note), GuardDuty gets NOT_USEFUL feedback and archives it, so it is not sent
                            again; with your credentials in the central (GuardDuty and Security Hub administrator)
                            account and region
  --role-name <name>        a role you may assume in the incident's account (e.g. OrganizationAccountAccessRole);
                            without it, your credentials must be that account's
  --bucket <name>           the central report bucket (default: REPORT_BUCKET)
  --output <o>              table (the default: the plan and the outcome as tables) or json: {"plan": …} or
                            {"plan": …, "record": …, "recordKey": …}
  --json                    --output json

Credentials: your own (the AWS SDK's default chain); the responder role is not used and grants none of this.
Environment: AWS_REGION (the central region), REPORT_BUCKET.
Exit: 0 plan shown, or every change made and recorded; 1 a change failed (see the table) or the record could
not be written; 2 invalid usage or no such report.`;

const DECISION_WORDS: Record<PlannedReleaseStep['decision'], string> = {
  apply: 'will undo',
  'already-done': 'already as before',
  skip: 'left alone',
};

function planTable(steps: readonly PlannedReleaseStep[]): string {
  return renderTable(steps, [
    { header: 'DECISION', value: (step) => DECISION_WORDS[step.decision] },
    { header: 'CHANGE', value: (step) => step.summary, wrap: true },
    { header: 'WHY', value: (step) => step.reason ?? '', wrap: true },
  ]);
}

function resultTable(records: readonly (ReleaseStepRecord | FalsePositiveStepRecord)[]): string {
  return renderTable(records, [
    { header: 'RESULT', value: (record) => record.status },
    { header: 'CHANGE', value: (record) => record.summary, wrap: true },
    { header: 'DETAIL', value: outcomeDetail, wrap: true },
  ]);
}

/** A plan and its outcome are one document, not rows: no csv. */
const OUTPUTS = ['table', 'json'] as const;

const FLAGS = {
  report: { type: 'string' },
  yes: { type: 'boolean', default: false },
  'false-positive': { type: 'boolean', default: false },
  'role-name': { type: 'string' },
  bucket: { type: 'string' },
  ...outputFlags(OUTPUTS),
} as const;

/** The false positive told to Security Hub and GuardDuty, with the operator's credentials in the central region. */
async function tellFalsePositive(
  centralRegion: string,
  report: Parameters<typeof releaseFalsePositive>[1]['report'],
  reportUri: string,
  operatorArn: string,
): Promise<FalsePositiveStepRecord[]> {
  const clients = await falsePositiveClients(centralRegion);
  try {
    return await releaseFalsePositive(clients, { report, reportUri, operatorArn });
  } finally {
    clients.destroy();
  }
}

/** Undoes a response, plan first, acting only with --yes. */
export const release: Command = {
  summary: 'Undo what an incident report says was done (shows the plan; acts only with --yes)',
  help: HELP,
  flags: FLAGS,
  async run(args, io) {
    const { values } = parseCommandFlags('release', args, FLAGS);
    const asTable = outputFormatOf('release', values, OUTPUTS) === 'table';
    const reference = requireFlag('release', 'report', values.report);
    const bucket = reportBucketOf(values.bucket, io.env);
    const centralRegion = centralRegionOf(io.env);
    const progress = createProgress(io.stderr);
    const s3 = new S3Client({ region: centralRegion, forcePathStyle: usesCustomS3Endpoint(io.env) });
    try {
      const found = await progress
        .spin(
          `Finding the report for ${reference}`,
          findIncidentReport(s3, bucket, reference, {
            onProgress: (read, total) => progress.count('Reading reports', read, total),
          }),
        )
        .catch((error: unknown) => {
          if (error instanceof ReleaseError) throw new UsageError(error.message, { cause: error });
          throw error;
        });
      const { key } = found;
      // What cli approve did for it (the freeze, stop protection) is undone too: its undo data is in its outcome.
      const report = await withApprovedUndo(s3, bucket, found);
      const access = await memberAccountAccess({
        centralRegion,
        accountId: report.accountId,
        partition: report.partition,
        region: report.region,
        ...(values['role-name'] === undefined ? {} : { roleName: values['role-name'] }),
      });
      try {
        const plan = await progress.spin('Reading the account', planRelease(access.clients, report));
        const json = (extra: Record<string, unknown>) =>
          writeOutput(io, 'json', { json: () => ({ reportKey: key, plan, ...extra }) });
        if (asTable) {
          io.stdout.write(
            `${wrapLines(`Incident ${report.findingId}: ${report.guarddutyFindingType} on ${report.instanceId ?? 'no instance'}, account ${report.accountId}, ${report.region}\nReport: s3://${bucket}/${key}\nActing as: ${access.via}`)}\n\n`,
          );
          io.stdout.write(
            plan.steps.length === 0
              ? 'The response changed nothing that release can undo.\n'
              : `Plan:\n${planTable(plan.steps)}\n`,
          );
          io.stdout.write(
            `\nNot undone (for a person):\n${wrapLines(plan.leftForPerson.map((line) => `  - ${line}`).join('\n'))}\n`,
          );
        }
        if (!values.yes) {
          if (!asTable) json({});
          else io.stdout.write('\nNothing was changed. Run again with --yes to apply this plan.\n');
          return 0;
        }
        const steps = await progress.spin('Undoing', applyRelease(access.clients, plan));
        const falsePositive = values['false-positive']
          ? await progress.spin(
              'Telling Security Hub and GuardDuty',
              tellFalsePositive(centralRegion, report, `s3://${bucket}/${key}`, access.operatorArn),
            )
          : undefined;
        const record: ReleaseRecord = {
          kind: 'release',
          releasedAt: new Date().toISOString(),
          operatorArn: access.operatorArn,
          reportKey: key,
          findingId: report.findingId,
          accountId: report.accountId,
          region: report.region,
          instanceId: report.instanceId,
          steps,
          leftForPerson: plan.leftForPerson,
          ...(falsePositive === undefined ? {} : { falsePositive }),
        };
        // The changes are made: a record that cannot be written must not hide them (they are printed, exit 1).
        const recordKey = await writeReleaseRecord(s3, bucket, record).catch((error: unknown) => {
          if (!(error instanceof ReleaseError)) throw error;
          io.stderr.write(`${error.message}\n`);
          return null;
        });
        const failures = [...steps, ...(falsePositive ?? [])].filter((step) => step.status === 'failed');
        if (!asTable) json({ record, recordKey });
        else {
          io.stdout.write(
            `\nDone:\n${resultTable([...steps, ...(falsePositive ?? [])])}\n\n${wrapLines(`Release record: ${recordKey === null ? 'NOT WRITTEN (see stderr)' : `s3://${bucket}/${recordKey}`}`)}\n`,
          );
          if (failures.length > 0) {
            io.stdout.write(`${failures.length} change(s) failed: fix the cause, then run the same command again.\n`);
          }
        }
        return failures.length === 0 && recordKey !== null ? 0 : 1;
      } finally {
        access.destroy();
      }
    } finally {
      s3.destroy();
    }
  },
};
