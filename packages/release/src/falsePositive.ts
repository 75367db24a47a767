import { ArchiveFindingsCommand, type GuardDutyClient, UpdateFindingsFeedbackCommand } from '@aws-sdk/client-guardduty';
import { BatchUpdateFindingsCommand, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import {
  awsErrorDetails,
  falsePositiveNoteText,
  guardDutyFindingIdentifier,
  guardDutyFindingRegion,
  type IncidentReport,
  partitionOfRegion,
  SECURITY_HUB_NOTE_AUTHOR,
} from '@cryptominer-defense/core';

/** The clients of `release --false-positive`: the operator's, in the central account (the administrator). */
export interface FalsePositiveClients {
  /** Security Hub in the central region (the aggregation region, where the finding is updated). */
  readonly securityHub: SecurityHubClient;
  /** GuardDuty in a region: the finding's own, whose detector holds it (GuardDuty's finding APIs are regional). */
  guardDutyIn(region: string): GuardDutyClient;
  /** The central (GuardDuty and Security Hub administrator) account and region. */
  readonly accountId: string;
  readonly region: string;
}

export type FalsePositiveAction =
  | 'resolveSecurityHubFinding'
  | 'markGuardDutyFindingNotUseful'
  | 'archiveGuardDutyFinding';

/** One action's outcome, in the release record's form. */
export type FalsePositiveStepRecord = {
  readonly action: FalsePositiveAction;
  readonly target: string;
  readonly summary: string;
  readonly startedAt: string;
  readonly endedAt: string;
} & (
  | { readonly status: 'succeeded' }
  | { readonly status: 'skipped'; readonly reason: string }
  | { readonly status: 'failed'; readonly errorCode: string; readonly errorMessage: string }
);

const SUMMARIES: Record<FalsePositiveAction, string> = {
  resolveSecurityHubFinding: 'Security Hub workflow of the GuardDuty finding: RESOLVED, with a note',
  markGuardDutyFindingNotUseful: 'GuardDuty feedback on the finding: NOT_USEFUL',
  archiveGuardDutyFinding: 'GuardDuty finding archived (GuardDuty stops sending it again)',
};

/**
 * Tells Security Hub and GuardDuty that the incident was a false positive: the finding's workflow RESOLVED with a note
 * naming the operator and the report, GuardDuty's feedback NOT_USEFUL, the finding archived (in the detector the
 * report recorded and the finding's region, as the administrator sees the member's findings). Each independently; a failure is a failed
 * record with the AWS error code. A report without a GuardDuty finding (before schema 2.5, or no detector) is skipped.
 */
export async function releaseFalsePositive(
  clients: FalsePositiveClients,
  input: { readonly report: IncidentReport; readonly reportUri: string; readonly operatorArn: string },
  now: () => Date = () => new Date(),
): Promise<FalsePositiveStepRecord[]> {
  const reference = input.report.guardDutyFinding ?? null;
  const actions = Object.keys(SUMMARIES) as FalsePositiveAction[];
  if (reference === null) {
    const at = now().toISOString();
    return actions.map((action) => ({
      action,
      target: input.report.findingId,
      summary: SUMMARIES[action],
      startedAt: at,
      endedAt: at,
      status: 'skipped',
      reason:
        'the report names no GuardDuty detector (written before schema 2.5, or the finding had none): resolve and archive the finding by hand',
    }));
  }
  const home = { accountId: clients.accountId, region: clients.region, partition: partitionOfRegion(clients.region) };
  const findingIds = [reference.findingId];
  const guardDuty = (): GuardDutyClient => clients.guardDutyIn(guardDutyFindingRegion(reference));
  const calls: Record<FalsePositiveAction, () => Promise<unknown>> = {
    resolveSecurityHubFinding: async () => {
      const answer = await clients.securityHub.send(
        new BatchUpdateFindingsCommand({
          FindingIdentifiers: [guardDutyFindingIdentifier(reference, home)],
          Workflow: { Status: 'RESOLVED' },
          Note: {
            Text: falsePositiveNoteText(input.operatorArn, input.reportUri),
            UpdatedBy: SECURITY_HUB_NOTE_AUTHOR,
          },
        }),
      );
      const [unprocessed] = answer.UnprocessedFindings ?? [];
      if (unprocessed !== undefined) {
        throw Object.assign(new Error(unprocessed.ErrorMessage ?? 'not processed'), {
          name: unprocessed.ErrorCode ?? 'UnprocessedFinding',
        });
      }
    },
    markGuardDutyFindingNotUseful: () =>
      guardDuty().send(
        new UpdateFindingsFeedbackCommand({
          DetectorId: reference.detectorId,
          FindingIds: findingIds,
          Feedback: 'NOT_USEFUL',
          Comments: `Released as a false positive by ${input.operatorArn}`,
        }),
      ),
    archiveGuardDutyFinding: () =>
      guardDuty().send(new ArchiveFindingsCommand({ DetectorId: reference.detectorId, FindingIds: findingIds })),
  };
  return Promise.all(
    actions.map(async (action): Promise<FalsePositiveStepRecord> => {
      const where = { action, target: action === 'resolveSecurityHubFinding' ? reference.arn : reference.findingId };
      const startedAt = now().toISOString();
      try {
        await calls[action]();
        return { ...where, summary: SUMMARIES[action], startedAt, endedAt: now().toISOString(), status: 'succeeded' };
      } catch (error) {
        const { errorCode, errorMessage } = awsErrorDetails(error);
        const endedAt = now().toISOString();
        return { ...where, summary: SUMMARIES[action], startedAt, endedAt, status: 'failed', errorCode, errorMessage };
      }
    }),
  );
}
