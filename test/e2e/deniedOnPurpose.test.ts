import { synthesizeTemplates } from '@cryptominer-defense/central';
import { AWS_OWN_REFUSAL, type NamedPolicy, type PolicyRequest } from '@cryptominer-defense/testing/iam';
import { describe, expect, it } from 'vitest';
import { deployedPolicies } from './support/deployedPolicies';

// What must never be possible, each request evaluated against the synthesized policies as deployed. A table row
// names the statement that must refuse it (an explicit Deny's Sid, or the policy that allows nothing of it).
const ORGANIZATION_ID = 'o-a1b2c3d4e5';
const CENTRAL = '111111111111';
const MEMBER = '222222222222';
const MANAGEMENT = '333333333333';
const OUTSIDE = '999999999999';
const HOME = 'us-east-1';
const REPORT_BUCKET = 'central-incident-reports';

const templates = synthesizeTemplates({ homeRegion: HOME, forwardedRegions: ['eu-west-1'], account: undefined });
const deployed = deployedPolicies(templates, {
  organizationId: ORGANIZATION_ID,
  managementAccountId: MANAGEMENT,
  centralAccountId: CENTRAL,
  memberAccountIds: [MEMBER],
  homeRegion: HOME,
  reportBucket: REPORT_BUCKET,
});

/** Whatever a principal's own account could grant it: the resource side must refuse on its own. */
const ADMINISTRATOR: readonly NamedPolicy[] = [
  { name: 'AdministratorAccess', policy: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
];
const memberRole = deployed.memberRoleArn(MEMBER);
const centralAdministrator = `arn:aws:iam::${CENTRAL}:role/SecurityAdministrator`;
const report = `${deployed.reportBucketArn}/incidents/${MEMBER}/${HOME}/2026/12/02/i-0123456789abcdef0-1.json`;
const memberRoleSid = 'CryptominerResponse#NeverRewriteProtectedRoles';
const releaseRecord = `${deployed.reportBucketArn}/releases/${MEMBER}/${HOME}/2026/12/02/i-0123456789abcdef0-1/1-abcd.json`;
const breakGlass = `arn:aws:iam::${CENTRAL}:role/CryptominerEvidenceBreakGlass`;
const releaseOperator = `arn:aws:iam::${CENTRAL}:role/CryptominerReleaseOperator`;
const forwarderRole = `arn:aws:iam::${CENTRAL}:role/CryptominerFindingForwarder-eu-west-1`;
const evidenceSid = '#OnlyTheBreakGlassRoleDeletesOrChangesTheEvidenceRules';
/** How the responder writes a report: once, with the incident key. */
const writeOnce = (keyArn: string) => ({
  's3:if-none-match': '*',
  's3:x-amz-server-side-encryption': 'aws:kms',
  's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn,
});

interface DeniedCase {
  readonly what: string;
  readonly request: PolicyRequest;
  /** The deciding statement: `<policy name>#<Sid>` or `<policy name>: no statement allows it`, by its end. */
  readonly refusedBy: string;
}

const protectedRoles = [
  'aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
  // The same name outside /aws-reserved/ (where AWS itself refuses any change: the row below).
  'AWSReservedSSO_Admin_0123456789abcdef',
  'CryptominerResponderRole',
  'OrganizationAccountAccessRole',
  'AWSControlTowerExecution',
  'stacksets-exec-0123456789abcdef0123456789abcdef',
  'AWSCloudFormationStackSetExecutionRole',
];

/** The freeze's one request on a role: AWSDenyAll attached (decision 0011). */
const DENY_ALL_ARN = 'arn:aws:iam::aws:policy/AWSDenyAll';
const ADMINISTRATOR_ACCESS_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const ordinaryRole = `arn:aws:iam::${MEMBER}:role/AppDeployRole`;
const ordinaryUser = `arn:aws:iam::${MEMBER}:user/developer`;
const MEMBER_ROLE_GRANTS_NOTHING = 'identity: no statement allows it';

const cases: readonly DeniedCase[] = [
  ...protectedRoles.map(
    (role): DeniedCase => ({
      what: `freezing the protected role ${role} (iam:AttachRolePolicy of AWSDenyAll)`,
      request: {
        principal: memberRole,
        action: 'iam:AttachRolePolicy',
        resource: `arn:aws:iam::${MEMBER}:role/${role}`,
        context: { 'iam:PolicyARN': DENY_ALL_ARN },
      },
      refusedBy: memberRoleSid,
    }),
  ),
  {
    what: 'freezing an IAM Identity Center role under /aws-reserved/ (iam:AttachRolePolicy of AWSDenyAll)',
    request: {
      principal: memberRole,
      action: 'iam:AttachRolePolicy',
      resource: `arn:aws:iam::${MEMBER}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef`,
      context: { 'iam:PolicyARN': DENY_ALL_ARN },
    },
    refusedBy: AWS_OWN_REFUSAL,
  },
  // Deny-only powers (decision 0011): the responder can attach AWSDenyAll and nothing else, and writes no document.
  ...[
    ['attaching AdministratorAccess to a role', 'iam:AttachRolePolicy', ordinaryRole],
    ['attaching AdministratorAccess to a user', 'iam:AttachUserPolicy', ordinaryUser],
  ].map(
    ([what, action, resource]): DeniedCase => ({
      what: `${what} (a grant, not a freeze)`,
      request: {
        principal: memberRole,
        action: action ?? '',
        resource: resource ?? '',
        context: { 'iam:PolicyARN': ADMINISTRATOR_ACCESS_ARN },
      },
      refusedBy: MEMBER_ROLE_GRANTS_NOTHING,
    }),
  ),
  ...[
    ['iam:PutUserPolicy', ordinaryUser],
    ['iam:PutRolePolicy', ordinaryRole],
    ['iam:UpdateAssumeRolePolicy', ordinaryRole],
    ['iam:PutUserPermissionsBoundary', ordinaryUser],
    ['iam:PutRolePermissionsBoundary', ordinaryRole],
    ['iam:CreatePolicyVersion', `arn:aws:iam::${MEMBER}:policy/AnyPolicy`],
  ].map(
    ([action, resource]): DeniedCase => ({
      what: `writing a policy document of its choosing (${action})`,
      request: { principal: memberRole, action: action ?? '', resource: resource ?? '' },
      refusedBy: MEMBER_ROLE_GRANTS_NOTHING,
    }),
  ),
  // The network ACL hard cut (decision 0013) only adds entries: it can neither replace nor delete another's.
  ...['ec2:ReplaceNetworkAclEntry', 'ec2:DeleteNetworkAclEntry', 'ec2:ReplaceNetworkAclAssociation'].map(
    (action): DeniedCase => ({
      what: `changing or removing network ACL entries it did not add (${action})`,
      request: {
        principal: memberRole,
        action,
        resource: `arn:aws:ec2:${HOME}:${MEMBER}:network-acl/acl-0123456789abcdef0`,
      },
      refusedBy: MEMBER_ROLE_GRANTS_NOTHING,
    }),
  ),
  {
    what: 'adding an entry to a network ACL of another account',
    request: {
      principal: memberRole,
      action: 'ec2:CreateNetworkAclEntry',
      resource: `arn:aws:ec2:${HOME}:${OUTSIDE}:network-acl/acl-0123456789abcdef0`,
    },
    refusedBy: MEMBER_ROLE_GRANTS_NOTHING,
  },
  {
    what: 'assuming the member role from another principal of the central account',
    request: {
      principal: centralAdministrator,
      action: 'sts:AssumeRole',
      resource: memberRole,
      identityPolicies: ADMINISTRATOR,
    },
    refusedBy: `trust: no statement allows it`,
  },
  {
    what: 'assuming the member role from outside the organization, with the function role name',
    request: {
      principal: `arn:aws:iam::${OUTSIDE}:role/CryptominerCentralResponder`,
      action: 'sts:AssumeRole',
      resource: memberRole,
      identityPolicies: ADMINISTRATOR,
    },
    refusedBy: `trust: no statement allows it`,
  },
  {
    what: 'writing a report without TLS',
    request: {
      principal: deployed.centralFunctionRoleArn,
      action: 's3:PutObject',
      resource: report,
      context: { 'aws:SecureTransport': 'false' },
    },
    refusedBy: 'IncidentReportsBucketPolicy027DC546#1',
  },
  {
    what: 'writing a report as any other principal of the central account',
    request: {
      principal: centralAdministrator,
      action: 's3:PutObject',
      resource: report,
      identityPolicies: ADMINISTRATOR,
    },
    refusedBy: '#OnlyTheResponderWritesReports',
  },
  {
    what: 'overwriting a report (a write without If-None-Match), even as the function',
    request: { principal: deployed.centralFunctionRoleArn, action: 's3:PutObject', resource: report },
    refusedBy: '#ReportsAreWrittenOnce',
  },
  {
    what: 'writing a report without KMS (AES256)',
    request: {
      principal: deployed.centralFunctionRoleArn,
      action: 's3:PutObject',
      resource: report,
      context: { 's3:if-none-match': '*', 's3:x-amz-server-side-encryption': 'AES256' },
    },
    refusedBy: '#WritesUseKms',
  },
  {
    what: 'writing a report with another KMS key',
    request: {
      principal: deployed.centralFunctionRoleArn,
      action: 's3:PutObject',
      resource: report,
      context: writeOnce(`arn:aws:kms:${HOME}:${OUTSIDE}:key/00000000-0000-0000-0000-000000000000`),
    },
    refusedBy: '#WritesUseTheIncidentKey',
  },
  {
    what: 'writing a release record as the function (the responder cannot record a release of its own)',
    request: {
      principal: deployed.centralFunctionRoleArn,
      action: 's3:PutObject',
      resource: releaseRecord,
      context: writeOnce(deployed.incidentKeyArn),
    },
    refusedBy: '#OnlyTheReleaseOperatorWritesReleaseRecords',
  },
  ...(
    [
      ['s3:DeleteObject', report],
      ['s3:DeleteObjectVersion', report],
      ['s3:BypassGovernanceRetention', report],
      ['s3:PutObjectRetention', report],
      ['s3:PutBucketVersioning', deployed.reportBucketArn],
      ['s3:PutLifecycleConfiguration', deployed.reportBucketArn],
      ['s3:PutBucketPolicy', deployed.reportBucketArn],
      ['s3:DeleteBucketPolicy', deployed.reportBucketArn],
      ['s3:PutBucketObjectLockConfiguration', deployed.reportBucketArn],
    ] as const
  ).map(
    ([action, resource]): DeniedCase => ({
      what: `${action} by an administrator of the central account (not the break-glass role)`,
      request: { principal: centralAdministrator, action, resource, identityPolicies: ADMINISTRATOR },
      refusedBy: evidenceSid,
    }),
  ),
  {
    what: 'deleting a report as the function',
    request: { principal: deployed.centralFunctionRoleArn, action: 's3:DeleteObject', resource: report },
    refusedBy: evidenceSid,
  },
  {
    what: 'putting a message on the findings queue from outside the organization',
    request: {
      principal: `arn:aws:iam::${OUTSIDE}:role/Attacker`,
      action: 'sqs:SendMessage',
      resource: deployed.findingQueueArn,
      identityPolicies: ADMINISTRATOR,
    },
    refusedBy: '#OnlyTheFindingRulesSendMessages',
  },
  {
    what: 'putting a message on the findings queue from another principal of the central account',
    request: {
      principal: centralAdministrator,
      action: 'sqs:SendMessage',
      resource: deployed.findingQueueArn,
      identityPolicies: ADMINISTRATOR,
    },
    refusedBy: '#OnlyTheFindingRulesSendMessages',
  },
  {
    what: "putting a message on the findings queue through EventBridge from another account's rule",
    request: {
      principal: 'events.amazonaws.com',
      action: 'sqs:SendMessage',
      resource: deployed.findingQueueArn,
      context: {
        'aws:SourceArn': `arn:aws:events:${HOME}:${OUTSIDE}:rule/forward-everything`,
        'aws:SourceAccount': OUTSIDE,
      },
    },
    refusedBy: '#OnlyTheFindingRulesSendMessages',
  },
  {
    what: 'an alarm of another account publishing to the alert topic (CloudWatch as a confused deputy)',
    request: {
      principal: 'cloudwatch.amazonaws.com',
      action: 'sns:Publish',
      resource: deployed.alertTopicArn,
      context: { 'aws:SourceAccount': OUTSIDE, 'aws:SourceArn': `arn:aws:cloudwatch:${HOME}:${OUTSIDE}:alarm:any` },
    },
    refusedBy: 'AlertsTopicPolicyFF1F97BA: no statement allows it',
  },
  {
    what: 'an alarm of another account using the incident key',
    request: {
      principal: 'cloudwatch.amazonaws.com',
      action: 'kms:GenerateDataKey',
      resource: deployed.incidentKeyArn,
      context: { 'aws:SourceAccount': OUTSIDE, 'aws:SourceArn': `arn:aws:cloudwatch:${HOME}:${OUTSIDE}:alarm:any` },
    },
    refusedBy: 'IncidentKey923A2DF4: no statement allows it',
  },
  {
    what: "EventBridge assuming a forwarder role for another account's rule",
    request: {
      principal: 'events.amazonaws.com',
      action: 'sts:AssumeRole',
      resource: forwarderRole,
      context: {
        'aws:SourceAccount': OUTSIDE,
        'aws:SourceArn': `arn:aws:events:eu-west-1:${OUTSIDE}:rule/CryptominerForwardFindings`,
      },
    },
    refusedBy: 'trust: no statement allows it',
  },
  {
    what: 'putting events on the forwarding bus from outside the organization',
    request: {
      principal: `arn:aws:iam::${OUTSIDE}:role/CryptominerFindingForwarder-eu-west-1`,
      action: 'events:PutEvents',
      resource: deployed.forwardingBusArn,
      identityPolicies: ADMINISTRATOR,
    },
    refusedBy: '#cdk-RefuseEventsFromOutsideTheOrganization',
  },
  {
    what: 'putting events on the forwarding bus from a member account of the organization',
    request: {
      principal: `arn:aws:iam::${MEMBER}:role/Workload`,
      action: 'events:PutEvents',
      resource: deployed.forwardingBusArn,
      identityPolicies: ADMINISTRATOR,
    },
    refusedBy: '#cdk-RefuseEventsFromAnyoneButTheForwarders',
  },
];

describe('denied, on purpose: what must never be possible, evaluated against the synthesized policies', () => {
  it.each(cases)('refuses $what', async ({ request, refusedBy }) => {
    // Act
    const evaluation = await deployed.evaluator.evaluateRequest(request);

    // Assess
    expect(evaluation.allowed, evaluation.summary).toBe(false);
    expect(
      evaluation.statements.some((statement) => statement.endsWith(refusedBy)),
      evaluation.summary,
    ).toBe(true);
  });

  it("allows the function, the release operator, the break-glass role, the forwarders and this account's alarms what the rows refuse to others (the table is not vacuous)", async () => {
    // Act
    const assume = await deployed.evaluator.evaluateRequest({
      principal: deployed.centralFunctionRoleArn,
      action: 'sts:AssumeRole',
      resource: memberRole,
    });
    const write = await deployed.evaluator.evaluateRequest({
      principal: deployed.centralFunctionRoleArn,
      action: 's3:PutObject',
      resource: report,
      context: writeOnce(deployed.incidentKeyArn),
    });
    const recordRelease = await deployed.evaluator.evaluateRequest({
      principal: releaseOperator,
      action: 's3:PutObject',
      resource: releaseRecord,
      // cli release writes once and leaves encryption to the bucket's default (the incident key).
      context: { 's3:if-none-match': '*' },
      identityPolicies: ADMINISTRATOR,
    });
    const breakGlassDeletes = await deployed.evaluator.evaluateRequest({
      principal: breakGlass,
      action: 's3:DeleteObjectVersion',
      resource: report,
      identityPolicies: ADMINISTRATOR,
    });
    const alarm = { 'aws:SourceAccount': CENTRAL, 'aws:SourceArn': `arn:aws:cloudwatch:${HOME}:${CENTRAL}:alarm:a` };
    const alarmPublishes = await deployed.evaluator.evaluateRequest({
      principal: 'cloudwatch.amazonaws.com',
      action: 'sns:Publish',
      resource: deployed.alertTopicArn,
      context: alarm,
    });
    const alarmEncrypts = await deployed.evaluator.evaluateRequest({
      principal: 'cloudwatch.amazonaws.com',
      action: 'kms:GenerateDataKey',
      resource: deployed.incidentKeyArn,
      context: alarm,
    });
    const forwarderAssumed = await deployed.evaluator.evaluateRequest({
      principal: 'events.amazonaws.com',
      action: 'sts:AssumeRole',
      resource: forwarderRole,
      context: {
        'aws:SourceAccount': CENTRAL,
        'aws:SourceArn': `arn:aws:events:eu-west-1:${CENTRAL}:rule/CryptominerForwardFindings`,
      },
    });
    const forward = await deployed.evaluator.evaluateRequest({
      principal: `arn:aws:iam::${CENTRAL}:role/CryptominerFindingForwarder-eu-west-1`,
      action: 'events:PutEvents',
      resource: deployed.forwardingBusArn,
    });

    // Assess
    const summaries = [
      assume,
      write,
      recordRelease,
      breakGlassDeletes,
      forwarderAssumed,
      forward,
      alarmPublishes,
      alarmEncrypts,
    ].map((evaluation) => evaluation.summary);
    expect(summaries).toEqual(summaries.map(() => expect.stringMatching(/^Allowed/)));
  });
});
