import type { S3Client } from '@aws-sdk/client-s3';
import { type ApprovalPending, releaseRecordsPrefixOf } from '@cryptominer-defense/core';
import type { FoundReport } from '../reports/findIncidentReport';
import { listIncidentReportObjects } from '../reports/listIncidentReportObjects';
import { ApprovalError, describeDecision, readApprovalDecision } from './approvalRecords';

/**
 * The steps the incident waits for, if a person may still decide on it: its report is of an approval-mode response
 * with steps left for a person, nobody decided yet, and it was not released (stopping a released instance would undo
 * the release). Otherwise an ApprovalError that says why; nothing is changed either way.
 */
export async function awaitingDecision(s3: S3Client, bucket: string, found: FoundReport): Promise<ApprovalPending> {
  const { key, report } = found;
  const incident = `Incident ${report.findingId} (${key})`;
  if (report.responseMode.mode !== 'approval') {
    throw new ApprovalError(
      `${incident} was handled in ${report.responseMode.mode} mode (${report.responseMode.reason}): nothing waits for approval. Only approval-mode incidents can be approved or rejected; "cli reports list --pending" lists them.`,
    );
  }
  if (report.approval === null || report.approval === undefined) {
    throw new ApprovalError(
      `${incident} has nothing waiting for approval (no stop or freeze was held back: ${report.manualInterventionReasons.join(' ') || 'see the report'}).`,
    );
  }
  const decision = await readApprovalDecision(s3, bucket, key);
  if (decision !== null) {
    throw new ApprovalError(`${incident} was already ${describeDecision(decision)}. Nothing was changed.`);
  }
  for await (const page of listIncidentReportObjects(s3, bucket, releaseRecordsPrefixOf(key))) {
    const [release] = page;
    if (release !== undefined) {
      throw new ApprovalError(
        `${incident} was released (s3://${bucket}/${release.key}): approving it now would stop and freeze what the release gave back. Nothing was changed; if it must be contained again, respond to it again.`,
      );
    }
  }
  return report.approval;
}
