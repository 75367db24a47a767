import type { S3Client } from '@aws-sdk/client-s3';
import type { ApprovalPending } from '@cryptominer-defense/core';
import {
  type ApprovalDecision,
  awaitingDecision,
  type FoundReport,
  findIncidentReport,
  ReleaseError,
} from '@cryptominer-defense/release';
import { UsageError } from '../command';
import type { Progress } from '../output/progress';

/** An incident a person may still decide on: its report, and what waits. */
export interface PendingIncident {
  readonly found: FoundReport;
  readonly pending: ApprovalPending;
}

/**
 * Finds the report by key or finding id and checks that it waits for a decision (approval mode, nothing decided,
 * not released). Anything else is a usage error that says why, before anything is changed.
 */
export async function findPendingIncident(
  s3: S3Client,
  bucket: string,
  reference: string,
  progress: Progress,
): Promise<PendingIncident> {
  try {
    const found = await progress.spin(
      `Finding the report for ${reference}`,
      findIncidentReport(s3, bucket, reference, {
        onProgress: (read, total) => progress.count('Reading reports', read, total),
      }),
    );
    return { found, pending: await awaitingDecision(s3, bucket, found) };
  } catch (error) {
    if (error instanceof ReleaseError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
}

/** The decision record of a pending incident. */
export function decisionOn(
  { found, pending }: PendingIncident,
  decision: ApprovalDecision['decision'],
  decidedBy: string,
  reason: string | null,
): ApprovalDecision {
  const { key, report } = found;
  return {
    kind: 'approval-decision',
    decision,
    decidedBy,
    decidedAt: new Date().toISOString(),
    reason,
    reportKey: key,
    findingId: report.findingId,
    accountId: report.accountId,
    region: report.region,
    instanceId: report.instanceId,
    pendingSteps: pending.pendingSteps,
  };
}
