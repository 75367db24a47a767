import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  APPROVAL_RECORD_PREFIX,
  approvalDecisionKey,
  approvalOutcomeKey,
  awsErrorDetails,
  INCIDENT_REPORT_PREFIX,
  isAwsError,
  type PendingStep,
  type RoleUndo,
  type StepRecord,
  type StopProtectionUndo,
  type UserUndo,
} from '@cryptominer-defense/core';
import { ReleaseError } from '../releaseErrors';
import { bucketError } from '../reports/bucketError';
import { listIncidentReportObjects } from '../reports/listIncidentReportObjects';

/** A person's decision on an incident in approval mode; one per incident (core's approvalDecisionKey). */
export interface ApprovalDecision {
  readonly kind: 'approval-decision';
  readonly decision: 'approved' | 'rejected';
  /** Who decided (STS GetCallerIdentity of the operator's credentials). */
  readonly decidedBy: string;
  readonly decidedAt: string;
  /** Why (`cli reject --reason`); null when none was given. */
  readonly reason: string | null;
  readonly reportKey: string;
  readonly findingId: string;
  readonly accountId: string;
  readonly region: string;
  readonly instanceId: string | null;
  /** What the report said was waiting: what an approval runs, what a rejection leaves undone. */
  readonly pendingSteps: readonly PendingStep[];
}

/** What one run of the approved steps did, with the undo data `cli release` needs for it. */
export interface ApprovalOutcome {
  readonly kind: 'approval-outcome';
  readonly ranAt: string;
  readonly ranBy: string;
  readonly reportKey: string;
  readonly findingId: string;
  readonly steps: readonly StepRecord[];
  readonly undo: {
    readonly stopProtection: StopProtectionUndo | null;
    readonly user: UserUndo | null;
    readonly role: RoleUndo | null;
  };
  readonly hibernated: boolean;
}

/** An approval cannot be given or recorded: the message says why and what to do; nothing was changed. */
export class ApprovalError extends ReleaseError {
  override readonly name: string = 'ApprovalError';
}

/** The decision on the incident of this report, or null while there is none. */
export async function readApprovalDecision(
  s3: S3Client,
  bucket: string,
  reportKey: string,
): Promise<ApprovalDecision | null> {
  const key = approvalDecisionKey(reportKey);
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const parsed: unknown = JSON.parse((await object.Body?.transformToString('utf8')) ?? 'null');
    if (typeof parsed !== 'object' || parsed === null || !('kind' in parsed) || parsed.kind !== 'approval-decision') {
      throw new ApprovalError(`s3://${bucket}/${key} is not an approval decision: look at it before going on.`);
    }
    return parsed as ApprovalDecision;
  } catch (error) {
    if (isAwsError(error, 'NoSuchKey', 'NotFound')) return null;
    if (error instanceof ReleaseError) throw error;
    throw bucketError(bucket, error);
  }
}

/** Says who decided what, when: the message of a refused second decision. */
export function describeDecision(decision: ApprovalDecision): string {
  const why = decision.reason === null ? '' : ` (${decision.reason})`;
  return `${decision.decision} by ${decision.decidedBy} at ${decision.decidedAt}${why}`;
}

async function putOnce(s3: S3Client, bucket: string, key: string, body: unknown): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: `${JSON.stringify(body, null, 2)}\n`,
      ContentType: 'application/json',
      IfNoneMatch: '*',
    }),
  );
}

/**
 * Writes the decision, once: the key is fixed per incident and the write conditional, so of two people deciding at
 * once one wins, and the other is told who did (and must change nothing). Returns its key.
 */
export async function writeApprovalDecision(s3: S3Client, bucket: string, decision: ApprovalDecision): Promise<string> {
  const key = approvalDecisionKey(decision.reportKey);
  try {
    await putOnce(s3, bucket, key, decision);
  } catch (error) {
    if (isAwsError(error, 'PreconditionFailed', 'ConditionalRequestConflict')) {
      const earlier = await readApprovalDecision(s3, bucket, decision.reportKey);
      throw new ApprovalError(
        `Incident ${decision.findingId} was decided meanwhile: ${earlier === null ? 'by someone else' : describeDecision(earlier)}. Nothing was changed.`,
        { cause: error },
      );
    }
    const { errorCode, errorMessage } = awsErrorDetails(error);
    throw new ApprovalError(
      `Could not record the decision at s3://${bucket}/${key} (${errorCode}: ${errorMessage}): nothing was changed. Use the operator role the bucket lets write approvals/ (ReleaseOperatorRoleName).`,
      { cause: error },
    );
  }
  return key;
}

/** Writes what the approved steps did, beside the decision; never over another object. Returns its key. */
export async function writeApprovalOutcome(s3: S3Client, bucket: string, outcome: ApprovalOutcome): Promise<string> {
  const key = approvalOutcomeKey(outcome.reportKey, new Date(outcome.ranAt));
  try {
    await putOnce(s3, bucket, key, outcome);
  } catch (error) {
    const { errorCode, errorMessage } = awsErrorDetails(error);
    throw new ApprovalError(
      `The approved steps ran, but their record could not be written to s3://${bucket}/${key}: ${errorCode}: ${errorMessage}. Keep the output of this command with the incident.`,
      { cause: error },
    );
  }
  return key;
}

/** The report keys of every incident decided so far (one listing of approvals/, not a read per incident). */
export async function decidedReportKeys(s3: S3Client, bucket: string): Promise<ReadonlySet<string>> {
  const decided = new Set<string>();
  for await (const page of listIncidentReportObjects(s3, bucket, APPROVAL_RECORD_PREFIX)) {
    for (const { key } of page) {
      if (!key.endsWith('/decision.json')) continue;
      const stem = key.slice(APPROVAL_RECORD_PREFIX.length, -'/decision.json'.length);
      decided.add(`${INCIDENT_REPORT_PREFIX}${stem}.json`);
    }
  }
  return decided;
}
