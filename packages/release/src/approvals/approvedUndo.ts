import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { approvalRecordsPrefixOf, type IncidentReport } from '@cryptominer-defense/core';
import type { FoundReport } from '../reports/findIncidentReport';
import { listIncidentReportObjects } from '../reports/listIncidentReportObjects';
import type { ApprovalOutcome } from './approvalRecords';

/**
 * The report as release must see it: with the undo data of the steps `cli approve` ran for it (the freeze, the lift of
 * stop protection), which live in the approval outcomes beside the report, the report being written once. What the
 * response itself recorded comes first; an outcome fills what it left empty.
 */
export async function withApprovedUndo(s3: S3Client, bucket: string, found: FoundReport): Promise<IncidentReport> {
  const { report } = found;
  if (report.responseMode.mode !== 'approval') return report;
  const outcomes: ApprovalOutcome[] = [];
  for await (const page of listIncidentReportObjects(s3, bucket, approvalRecordsPrefixOf(found.key))) {
    for (const { key } of page.filter((object) => /\/outcome-[^/]+\.json$/.test(object.key))) {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      outcomes.push(JSON.parse((await object.Body?.transformToString('utf8')) ?? 'null') as ApprovalOutcome);
    }
  }
  const undo = { ...report.undo };
  for (const { undo: approved } of outcomes) {
    undo.user ??= approved.user;
    undo.role ??= approved.role;
    undo.stopProtection ??= approved.stopProtection;
  }
  return { ...report, undo };
}
