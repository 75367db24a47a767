import { Aws } from 'aws-cdk-lib';

/** Where each engine action of the central account may act (the actions come from core's registry). */
export interface CentralActionScope {
  readonly sid: string;
  readonly resources: string[];
  readonly conditions?: Record<string, Record<string, string | string[]>>;
  /** Actions AWS authorizes as part of the call, granted in the same statement (sts:SetSourceIdentity). */
  readonly impliedActions?: readonly string[];
  /** Why the scope is as wide as it is. */
  readonly reason: string;
}

export interface CentralScopeInputs {
  readonly organizationId: string;
  readonly responderRoleName: string;
  /** ARN pattern of the report objects, e.g. `arn:aws:s3:::bucket/incidents/*`. */
  readonly reportObjectsArn: string;
  readonly alertTopicArn: string;
  /** The topic of the chat notifications (decision 0022). */
  readonly chatAlertTopicArn: string;
}

/** Where the responder keeps its per-finding lock and ledger (core's FINDING_STATE_PREFIX), beside incidents/. */
const FINDING_STATE_PREFIX = 'responder-state/';

/** The scope of every action the engine calls in the central account, keyed by action. */
export function centralActionScopes(inputs: CentralScopeInputs): Readonly<Record<string, CentralActionScope>> {
  // reportObjectsArn is `<bucket ARN>/incidents/*`: the bucket and the state objects sit beside it.
  const bucketArn = inputs.reportObjectsArn.slice(0, inputs.reportObjectsArn.lastIndexOf('/incidents/'));
  const stateObjectsArn = `${bucketArn}/${FINDING_STATE_PREFIX}*`;
  return {
    'organizations:DescribeAccount': {
      sid: 'CheckMembershipOfTheOrganization',
      // The management account's id sits in the ARN and is not known here: any, but only this organization.
      resources: [`arn:${Aws.PARTITION}:organizations::*:account/${inputs.organizationId}/*`],
      reason: 'Accounts of this organization only; the management account id in the ARN is not known in advance.',
    },
    'sts:AssumeRole': {
      sid: 'AssumeTheResponderRoleInMemberAccounts',
      resources: [`arn:${Aws.PARTITION}:iam::*:role/${inputs.responderRoleName}`],
      conditions: { StringEquals: { 'aws:ResourceOrgID': inputs.organizationId } },
      // The session of a finding's changes carries the finding as its SourceIdentity (clients/findingSession.ts).
      impliedActions: ['sts:SetSourceIdentity'],
      reason: 'Any member account can be affected; only the responder role, and only in accounts of the organization.',
    },
    's3:PutObject': {
      sid: 'WriteIncidentReports',
      resources: [inputs.reportObjectsArn, stateObjectsArn],
      reason:
        'Reports are written under incidents/<account>/<region>/<date>/, with names only known at run time; the per-finding lock (a conditional write) and ledger under responder-state/.',
    },
    's3:GetObject': {
      sid: 'ReadFindingState',
      resources: [stateObjectsArn],
      reason:
        'A later delivery of a finding reads what the earlier one did (responder-state/<findingId>/); every response reads the pause switch (responder-state/pause.json), which the bucket policy lets only the release operator write.',
    },
    's3:ListBucket': {
      sid: 'ListFindingDeliveries',
      resources: [bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${FINDING_STATE_PREFIX}*`] } },
      reason:
        'The deliveries of a finding are listed; without ListBucket a missing state object answers AccessDenied, not NoSuchKey.',
    },
    'organizations:ListParents': {
      sid: 'ReadOrganizationalUnitsOfAccounts',
      resources: ['*'],
      reason: 'ListParents supports no resource-level permissions; the response policy chooses the mode by OU.',
    },
    'securityhub:BatchUpdateFindings': {
      sid: 'MarkGuardDutyFindingsNotifiedInSecurityHub',
      // Security Hub authorizes the hub of the caller's account and region, not the finding updated.
      resources: [`arn:${Aws.PARTITION}:securityhub:${Aws.REGION}:${Aws.ACCOUNT_ID}:hub/default`],
      conditions: { StringEquals: { 'securityhub:ASFFSyntaxPath/Workflow.Status': 'NOTIFIED' } },
      reason:
        "The hub of this account and region only (Security Hub's administrator, where GuardDuty's findings are aggregated), and only to set a workflow NOTIFIED: never RESOLVED or SUPPRESSED (release does that, with a person's credentials).",
    },
    'securityhub:BatchImportFindings': {
      sid: 'ImportResponsesIntoSecurityHub',
      resources: [`arn:${Aws.PARTITION}:securityhub:${Aws.REGION}:${Aws.ACCOUNT_ID}:product/${Aws.ACCOUNT_ID}/default`],
      conditions: { StringEquals: { 'securityhub:TargetAccount': Aws.ACCOUNT_ID } },
      reason: "This account's own default product, findings of this account only.",
    },
    'sns:Publish': {
      sid: 'PublishIncidentSummaries',
      resources: [inputs.alertTopicArn, inputs.chatAlertTopicArn],
      reason: "The stack's two alert topics: the plain-text summary and the chat notification.",
    },
  };
}
