import {
  BatchImportFindingsCommand,
  type BatchImportFindingsCommandInput,
  BatchUpdateFindingsCommand,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import {
  failed,
  type GuardDutyFindingReference,
  guardDutyFindingIdentifier,
  type IncidentReport,
  reportFields,
  responseAsffFinding,
  responseNoteText,
  SECURITY_HUB_NOTE_AUTHOR,
  type SecurityHubHome,
  type StepRecord,
  type StepResult,
  skipped,
  succeeded,
} from '@cryptominer-defense/core';
import { decidedRecord, runAction } from '../runAction';

export interface StoredReport {
  readonly report: IncidentReport;
  readonly bucket: string;
  readonly key: string;
}

/** What the Security Hub steps need: the client and the central account (both awaited here, so their failure is recorded). */
export interface SecurityHubAccess {
  readonly client: () => Promise<SecurityHubClient>;
  readonly home: () => Promise<SecurityHubHome>;
  readonly now: () => Date;
}

/** A batch call that answered 200 but did not take the finding: failed, with the code Security Hub gave. */
function batchOutcome(unprocessed: { readonly ErrorCode?: string; readonly ErrorMessage?: string }[]): StepResult {
  const [first] = unprocessed;
  if (first === undefined) return succeeded;
  return failed(
    first.ErrorCode ?? 'UnprocessedFinding',
    first.ErrorMessage ?? 'Security Hub did not process the finding',
  );
}

async function updateGuardDutyFinding(
  access: SecurityHubAccess,
  stored: StoredReport,
  reference: GuardDutyFindingReference,
): Promise<StepResult> {
  const [client, home] = await Promise.all([access.client(), access.home()]);
  const uri = `s3://${stored.bucket}/${stored.key}`;
  const answer = await client.send(
    new BatchUpdateFindingsCommand({
      FindingIdentifiers: [guardDutyFindingIdentifier(reference, home)],
      Workflow: { Status: 'NOTIFIED' },
      Note: { Text: responseNoteText(stored.report, uri), UpdatedBy: SECURITY_HUB_NOTE_AUTHOR },
      UserDefinedFields: reportFields(stored.bucket, stored.key),
    }),
  );
  return batchOutcome(answer.UnprocessedFindings ?? []);
}

async function importResponseFinding(
  access: SecurityHubAccess,
  stored: StoredReport,
  reference: GuardDutyFindingReference,
): Promise<StepResult> {
  const [client, home] = await Promise.all([access.client(), access.home()]);
  const finding = responseAsffFinding({
    report: stored.report,
    reference,
    home,
    reportBucket: stored.bucket,
    reportKey: stored.key,
    now: access.now(),
  });
  const answer = await client.send(
    // core builds the finding as plain data (it has no SDK types): its fields are ASFF's, checked by the tests.
    new BatchImportFindingsCommand({ Findings: [finding] } as unknown as BatchImportFindingsCommandInput),
  );
  return batchOutcome(answer.FailedFindings ?? []);
}

/**
 * Tells Security Hub of a stored report: the GuardDuty finding's workflow NOTIFIED with a note naming the report
 * (only from the report of GuardDuty's own finding: an attack sequence's instances and linked incidents leave its
 * note to that report), and the response imported as a finding of its own, related to it. Both at once; each
 * failure is a failed record with the AWS error code, never thrown. A sample finding or one without a known detector
 * is not told (skipped, with why).
 */
export async function tellSecurityHub(access: SecurityHubAccess, stored: StoredReport): Promise<StepRecord[]> {
  const { report } = stored;
  const reference = report.guardDutyFinding ?? null;
  const target = reference?.arn ?? report.findingId;
  const notTold = (reason: string) =>
    (['updateSecurityHubFinding', 'importSecurityHubFinding'] as const).map((step) =>
      decidedRecord({ step, target }, skipped(reason), access.now),
    );
  if (report.sample) return notTold('a GuardDuty sample finding: Security Hub is not told');
  if (reference === null) {
    return notTold('the finding names no GuardDuty detector (service.detectorId): Security Hub cannot be told');
  }
  const update =
    reference.findingId === report.findingId
      ? runAction(
          { step: 'updateSecurityHubFinding', target },
          async () => ({ result: await updateGuardDutyFinding(access, stored, reference), value: null }),
          null,
          access.now,
        ).then(({ record }) => record)
      : Promise.resolve(
          decidedRecord(
            { step: 'updateSecurityHubFinding', target },
            skipped(
              `the GuardDuty finding's note is its own report's (${reference.findingId}); this one is related to it`,
            ),
            access.now,
          ),
        );
  const imported = runAction(
    { step: 'importSecurityHubFinding', target: stored.key },
    async () => ({ result: await importResponseFinding(access, stored, reference), value: null }),
    null,
    access.now,
  ).then(({ record }) => record);
  return Promise.all([update, imported]);
}
