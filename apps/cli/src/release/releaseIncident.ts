import type { S3Client } from '@aws-sdk/client-s3';
import {
  applyRelease,
  type FalsePositiveStepRecord,
  type FoundReport,
  type PlannedReleaseStep,
  planRelease,
  ReleaseError,
  type ReleasePlan,
  type ReleaseRecord,
  type ReleaseStepRecord,
  releaseFalsePositive,
  withApprovedUndo,
  writeReleaseRecord,
} from '@cryptominer-defense/release';
import { falsePositiveClients } from '../aws/falsePositiveClients';
import { memberAccountAccess } from '../aws/memberAccountAccess';
import type { CommandIO } from '../command';
import { outcomeDetail } from '../output/outcomeDetail';
import type { createProgress } from '../output/progress';
import { renderTable } from '../output/renderTable';
import { wrapLines } from '../output/wrapLines';

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

export interface ReleaseSettings {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly centralRegion: string;
  readonly apply: boolean;
  readonly falsePositive: boolean;
  readonly roleName: string | undefined;
  /** Text tables on stdout (else the command prints one JSON document of every incident at its end). */
  readonly asTable: boolean;
  readonly progress: ReturnType<typeof createProgress>;
}

/** What releasing one incident did, as --json prints it. */
export interface ReleasedIncident {
  readonly reportKey: string;
  readonly findingId: string;
  readonly plan: ReleasePlan;
  readonly record?: ReleaseRecord;
  readonly recordKey?: string | null;
}

/** The incident released, and how many things went wrong (a failed change, a record not written). */
export interface IncidentReleaseOutcome {
  readonly released: ReleasedIncident;
  readonly failures: number;
}

/**
 * One incident: plan from the account's current state (in the incident's own account and region, with the operator's
 * credentials), shown; with --yes applied and recorded beside its report. `heading` introduces it in the text output.
 */
export async function releaseIncident(
  found: FoundReport,
  settings: ReleaseSettings,
  io: CommandIO,
  heading: string,
): Promise<IncidentReleaseOutcome> {
  const { s3, bucket, centralRegion, progress } = settings;
  const { key } = found;
  // What cli approve did for it (the freeze, stop protection) is undone too: its undo data is in its outcome.
  const report = await withApprovedUndo(s3, bucket, found);
  const access = await memberAccountAccess({
    centralRegion,
    accountId: report.accountId,
    partition: report.partition,
    region: report.region,
    ...(settings.roleName === undefined ? {} : { roleName: settings.roleName }),
  });
  try {
    const plan = await progress.spin('Reading the account', planRelease(access.clients, report));
    if (settings.asTable) {
      io.stdout.write(
        `${wrapLines(`${heading} ${report.findingId}: ${report.guarddutyFindingType} on ${report.instanceId ?? 'no instance'}, account ${report.accountId}, ${report.region}\nReport: s3://${bucket}/${key}\nActing as: ${access.via}`)}\n\n`,
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
    const planned = { reportKey: key, findingId: report.findingId, plan };
    if (!settings.apply) return { released: planned, failures: 0 };
    const steps = await progress.spin('Undoing', applyRelease(access.clients, plan));
    const falsePositive = settings.falsePositive
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
    const failed = [...steps, ...(falsePositive ?? [])].filter((step) => step.status === 'failed');
    if (settings.asTable) {
      io.stdout.write(
        `\nDone:\n${resultTable([...steps, ...(falsePositive ?? [])])}\n\n${wrapLines(`Release record: ${recordKey === null ? 'NOT WRITTEN (see stderr)' : `s3://${bucket}/${recordKey}`}`)}\n`,
      );
      if (failed.length > 0) {
        io.stdout.write(`${failed.length} change(s) failed: fix the cause, then run the same command again.\n`);
      }
    }
    return { released: { ...planned, record, recordKey }, failures: failed.length + (recordKey === null ? 1 : 0) };
  } finally {
    access.destroy();
  }
}
