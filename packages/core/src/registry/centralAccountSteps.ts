import type { StepDefinition, StepSubject } from './stepDefinition';

/** A step of the central function in its own (delegated-admin) account. */
export interface CentralStepDefinition extends StepDefinition {
  /** What it would do for a finding the response does not act on (the sample report); null: not listed there. */
  readonly wouldDo?: (subject: StepSubject) => string | null;
}

/** What the central function does in its own (delegated-admin) account. */
export const CENTRAL_ACCOUNT_STEPS = {
  verifyOrganizationMembership: {
    description: 'Check that the affected account is an ACTIVE member of the organization',
    iamActions: ['organizations:DescribeAccount'],
    wouldDo: (subject: StepSubject) => `check that account ${subject.accountId} is an ACTIVE member`,
  },
  /** Only when RESPONSE_POLICY has organizationalUnit rules; answers cached. */
  resolveOrganizationalUnits: {
    description: 'Find the OUs the affected account sits in (for the response policy)',
    iamActions: ['organizations:ListParents'],
  },
  /** The pause switch (responder-state/pause.json, docs/decisions/0018): paused or unreadable, the mode is observe. */
  readPauseSwitch: {
    description: 'Read the pause switch: when it is on, or cannot be read, the response only observes',
    iamActions: ['s3:GetObject'],
  },
  /** The idempotency lock and ledger, under responder-state/ in the report bucket (not read by Athena). */
  claimFinding: {
    description:
      'Claim the finding with a conditional write (If-None-Match), read what earlier deliveries did, record this delivery',
    iamActions: ['s3:PutObject', 's3:GetObject', 's3:ListBucket'],
  },
  /**
   * One claim per instance (docs/decisions/0023), under responder-state/instances/: whichever response reaches an
   * instance first (its own finding's, an attack sequence's, a linked incident's) answers it; the others read who holds
   * it (and, past the lease, whether that holder left a report) and say so.
   */
  claimInstance: {
    description:
      'Claim the instance for this finding with a conditional write (If-None-Match), or read which finding holds it',
    iamActions: ['s3:PutObject', 's3:GetObject'],
  },
  /**
   * The blast-radius cap (docs/decisions/0019): a slot of the account's and of the organization's hour, each a
   * conditional write (If-None-Match) under responder-state/quota/, found free by one listing; only for a response
   * that would change something (contain or full).
   */
  claimContainmentSlot: {
    description:
      "Claim a slot of the account's and of the organization's hourly containment cap with a conditional write (If-None-Match)",
    iamActions: ['s3:PutObject', 's3:ListBucket'],
  },
  assumeResponderRole: {
    description: 'Assume the responder role in the affected account',
    iamActions: ['sts:AssumeRole'],
    wouldDo: (subject: StepSubject) => `assume the responder role in ${subject.accountId}`,
  },
  writeReport: {
    description: 'Write the incident report to the central bucket',
    iamActions: ['s3:PutObject'],
  },
  /**
   * Only with SECURITY_HUB_UPDATES=on, after the report is written, in the central account and region (Security Hub's
   * administrator, where it aggregates): the GuardDuty finding's workflow NOTIFIED, a note with the report's URI.
   */
  updateSecurityHubFinding: {
    description: "Set the GuardDuty finding's Security Hub workflow to NOTIFIED, with a note naming the report",
    iamActions: ['securityhub:BatchUpdateFindings'],
  },
  /** Only with SECURITY_HUB_UPDATES=on, beside updateSecurityHubFinding. */
  importSecurityHubFinding: {
    description: 'Import the response into Security Hub as a finding of its own, related to the GuardDuty finding',
    iamActions: ['securityhub:BatchImportFindings'],
  },
  /** Only when ALERT_TOPIC_ARN is set. */
  publishAlert: {
    description: 'Publish a one-paragraph summary of the incident to the alert topic',
    iamActions: ['sns:Publish'],
  },
} as const satisfies Record<string, CentralStepDefinition>;
