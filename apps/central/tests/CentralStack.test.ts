import { centralAccountActions, cryptoMiningEventPattern } from '@cryptominer-defense/core';
import { memberRoleTemplate } from '@cryptominer-defense/member-role';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { CENTRAL_INFRASTRUCTURE_ACTIONS, EVIDENCE_PROTECTING_ACTIONS } from '../src/index';
import { onlyResource, synthesizeCentralApp } from './helpers/synthesizeCentralApp';

const { central } = synthesizeCentralApp();

const KEY = 'IncidentKey923A2DF4';
const REPORT_BUCKET = 'IncidentReportsBucket05FD0E57';
const QUEUE = 'FindingsQueue83676D52';
const DEAD_LETTER_QUEUE = 'FindingsDeadLetterQueue7357FBE7';
const ALERT_TOPIC = 'AlertsTopicCF7C81C9';
const CHAT_ALERT_TOPIC = 'ChatAlertsTopicA79D15B4';
const accountArn = (suffix: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, suffix]],
});
/** `arn:<partition>:<service>:us-east-1:<account><suffix>` as the CDK writes it (the stack's region is fixed). */
const regionalArn = (service: string, suffix: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:${service}:us-east-1:`, { Ref: 'AWS::AccountId' }, suffix]],
});

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Condition?: unknown;
  Principal?: unknown;
}

function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

function rolePolicies(): Record<string, Statement[]> {
  const role = onlyResource(central, 'AWS::IAM::Role');
  const policies = role.Properties.Policies as { PolicyName: string; PolicyDocument: { Statement: Statement[] } }[];
  return Object.fromEntries(policies.map((policy) => [policy.PolicyName, policy.PolicyDocument.Statement]));
}

describe('the StackSet of the member role', () => {
  const stackSet = onlyResource(central, 'AWS::CloudFormation::StackSet').Properties;

  it('is service-managed, operated as delegated admin, and follows accounts into and out of the OUs', () => {
    expect(stackSet.PermissionModel).toBe('SERVICE_MANAGED');
    expect(stackSet.CallAs).toBe('DELEGATED_ADMIN');
    expect(stackSet.AutoDeployment).toEqual({ Enabled: true, RetainStacksOnAccountRemoval: false });
    expect(stackSet.Capabilities).toEqual(['CAPABILITY_NAMED_IAM']);
    expect(stackSet.OperationPreferences).toEqual({
      FailureTolerancePercentage: 10,
      MaxConcurrentPercentage: 25,
      RegionConcurrencyType: 'PARALLEL',
    });
  });

  it('targets the OUs and the one region of the parameters', () => {
    expect(stackSet.StackInstancesGroup).toEqual([
      {
        DeploymentTargets: { OrganizationalUnitIds: { Ref: 'TargetOrganizationalUnitIds' } },
        Regions: [{ Ref: 'MemberRoleRegion' }],
      },
    ]);
  });

  it('deploys the synthesized member-role template, trusting this account and its function role', () => {
    expect(JSON.parse(stackSet.TemplateBody as string)).toEqual(memberRoleTemplate());
    expect(stackSet.Parameters).toEqual([
      { ParameterKey: 'CentralAccountId', ParameterValue: { Ref: 'AWS::AccountId' } },
      { ParameterKey: 'CentralFunctionRoleName', ParameterValue: 'CryptominerCentralResponder' },
      { ParameterKey: 'OrganizationId', ParameterValue: { Ref: 'OrganizationId' } },
      { ParameterKey: 'ResponderRoleName', ParameterValue: { Ref: 'ResponderRoleName' } },
    ]);
  });
});

describe('the central function role', () => {
  it('is the fixed name member roles trust, assumable by Lambda only, with no managed or attached policy', () => {
    // Prepare
    const role = onlyResource(central, 'AWS::IAM::Role').Properties;

    // Assess
    expect(role.RoleName).toBe('CryptominerCentralResponder');
    expect(role.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }],
    });
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(central.findResources('AWS::IAM::Policy')).toEqual({});
    expect(central.findResources('AWS::IAM::ManagedPolicy')).toEqual({});
  });

  it('grants exactly the engine actions of the registry, and the listed infrastructure actions, nothing else', () => {
    // Prepare
    const policies = rolePolicies();

    // Act
    const allowed = (name: string) =>
      (policies[name] ?? []).filter((s) => s.Effect === 'Allow').flatMap((s) => asList(s.Action));

    // Assess
    expect(Object.keys(policies).sort()).toEqual(['EngineCalls', 'Infrastructure']);
    // AssumeRole with a SourceIdentity is authorized as sts:SetSourceIdentity too (clients/findingSession.ts).
    expect(allowed('EngineCalls').sort()).toEqual([...centralAccountActions(), 'sts:SetSourceIdentity'].sort());
    expect(allowed('Infrastructure').sort()).toEqual(
      CENTRAL_INFRASTRUCTURE_ACTIONS.map((entry) => entry.action).sort(),
    );
  });

  it('assumes only the responder role, only in accounts of the organization', () => {
    const assume = rolePolicies().EngineCalls?.find((s) => asList(s.Action).includes('sts:AssumeRole'));
    expect(assume?.Action).toEqual(['sts:AssumeRole', 'sts:SetSourceIdentity']);
    expect(assume?.Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/', { Ref: 'ResponderRoleName' }]],
    });
    expect(assume?.Condition).toEqual({ StringEquals: { 'aws:ResourceOrgID': { Ref: 'OrganizationId' } } });
  });

  it('writes reports only under incidents/ (and the finding lock and ledger under responder-state/) of the incident bucket, and uses the key only through S3 and SNS', () => {
    const policies = rolePolicies();
    const put = policies.EngineCalls?.find((s) => s.Action === 's3:PutObject');
    expect(put?.Resource).toEqual([
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [REPORT_BUCKET, 'Arn'] }, '/incidents/*']] },
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [REPORT_BUCKET, 'Arn'] }, '/responder-state/*']] },
    ]);
    const kms = policies.Infrastructure?.find((s) => asList(s.Action).includes('kms:GenerateDataKey'));
    expect(kms?.Resource).toEqual({ 'Fn::GetAtt': [KEY, 'Arn'] });
    expect(kms?.Condition).toEqual({
      StringEquals: {
        'kms:ViaService': [
          { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
          { 'Fn::Join': ['', ['sns.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
        ],
      },
    });
  });
});

describe('the incident bucket', () => {
  const bucket = central.toJSON().Resources[REPORT_BUCKET].Properties;

  it('is versioned, encrypted with the customer-managed key, private and access-logged', () => {
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [KEY, 'Arn'] } },
        },
      ],
    });
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: 'AccessLogsBucketCD784A59' },
      LogFilePrefix: 'incident-bucket/',
    });
    expect(central.toJSON().Resources[REPORT_BUCKET].DeletionPolicy).toBe('Retain');
  });

  it("hides the blast-radius cap's slots after two days; lifecycle removes their versions once no lock holds them", () => {
    const rules = (bucket.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    expect(rules).toContainEqual({
      Id: 'ContainmentSlotsExpire',
      Prefix: 'responder-state/quota/',
      ExpirationInDays: 2,
      NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      Status: 'Enabled',
    });
    expect(central.toJSON().Parameters.ContainmentCapPerAccountPerHour).toMatchObject({
      Type: 'Number',
      Default: 10,
      MinValue: 1,
      MaxValue: 1000,
    });
    expect(central.toJSON().Parameters.ContainmentCapPerOrganizationPerHour).toMatchObject({ Default: 50 });
  });

  it('keeps the original IncidentLogBucketName parameter; Object Lock is on by default, governance or compliance', () => {
    expect(bucket.BucketName).toEqual({
      'Fn::If': ['HasIncidentLogBucketName', { Ref: 'IncidentLogBucketName' }, { Ref: 'AWS::NoValue' }],
    });
    expect(bucket.ObjectLockEnabled).toEqual({ 'Fn::If': ['ObjectLockEnabled', true, { Ref: 'AWS::NoValue' }] });
    expect(bucket.ObjectLockConfiguration).toEqual({
      'Fn::If': [
        'ObjectLockEnabled',
        {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: { Ref: 'ObjectLockMode' }, Days: { Ref: 'ObjectLockRetentionDays' } } },
        },
        { Ref: 'AWS::NoValue' },
      ],
    });
    const parameters = central.toJSON().Parameters;
    expect(parameters.ObjectLockRetentionDays.Default).toBe(365);
    expect(parameters.ObjectLockMode).toMatchObject({
      Default: 'GOVERNANCE',
      AllowedValues: ['GOVERNANCE', 'COMPLIANCE'],
    });
  });

  it('refuses plain HTTP, old TLS, every writer but the responder (and the release operator), another key, and deletes or rule changes by all but break-glass', () => {
    // Prepare
    const policy = Object.values(central.findResources('AWS::S3::BucketPolicy')).find(
      (resource) => JSON.stringify(resource.Properties.Bucket) === JSON.stringify({ Ref: REPORT_BUCKET }),
    );

    // Act
    const statements = policy?.Properties.PolicyDocument.Statement as Statement[];

    // Assess
    const objects = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [REPORT_BUCKET, 'Arn'] }, '/*']] };
    const bucketAndObjects = [{ 'Fn::GetAtt': [REPORT_BUCKET, 'Arn'] }, objects];
    const releases = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [REPORT_BUCKET, 'Arn'] }, '/releases/*']] };
    const pauseSwitch = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [REPORT_BUCKET, 'Arn'] }, '/responder-state/pause.json']] };
    const approvals = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [REPORT_BUCKET, 'Arn'] }, '/approvals/*']] };
    const roleArn = (parameter: string) => ({
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/', { Ref: parameter }],
      ],
    });
    expect(statements).toEqual([
      {
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Resource: bucketAndObjects,
      },
      {
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
        Resource: bucketAndObjects,
      },
      {
        Sid: 'OnlyTheResponderWritesReports',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': accountArn(':role/CryptominerCentralResponder') } },
        NotResource: [releases, approvals, pauseSwitch],
      },
      {
        Sid: 'OnlyTheReleaseOperatorWritesReleaseRecords',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': roleArn('ReleaseOperatorRoleName') } },
        Resource: [releases, approvals],
      },
      {
        Sid: 'OnlyTheReleaseOperatorFlipsThePauseSwitch',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': roleArn('ReleaseOperatorRoleName') } },
        Resource: pauseSwitch,
      },
      {
        Sid: 'ReportsAreWrittenOnce',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
        Condition: { Null: { 's3:if-none-match': 'true' } },
        Resource: [
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [REPORT_BUCKET, 'Arn'] }, '/incidents/*']] },
          releases,
          approvals,
        ],
      },
      {
        Sid: 'ContainmentSlotsAreClaimedOnce',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
        Condition: { Null: { 's3:if-none-match': 'true' } },
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [REPORT_BUCKET, 'Arn'] }, '/responder-state/quota/*']] },
      },
      {
        Sid: 'InstanceClaimsAreWrittenOnce',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
        Condition: { Null: { 's3:if-none-match': 'true' } },
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [REPORT_BUCKET, 'Arn'] }, '/responder-state/instances/*']] },
      },
      {
        Sid: 'WritesUseTheIncidentKey',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
        Condition: {
          StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': { 'Fn::GetAtt': [KEY, 'Arn'] } },
          Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
        },
        Resource: objects,
      },
      {
        Sid: 'WritesUseKms',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
        Condition: {
          StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
          Null: { 's3:x-amz-server-side-encryption': 'false' },
        },
        Resource: objects,
      },
      {
        Sid: 'OnlyTheBreakGlassRoleDeletesOrChangesTheEvidenceRules',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: EVIDENCE_PROTECTING_ACTIONS,
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': roleArn('EvidenceBreakGlassRoleName') } },
        Resource: bucketAndObjects,
      },
    ]);
    expect(EVIDENCE_PROTECTING_ACTIONS).toEqual(
      expect.arrayContaining([
        's3:DeleteObject',
        's3:DeleteObjectVersion',
        's3:BypassGovernanceRetention',
        's3:PutBucketVersioning',
        's3:PutLifecycleConfiguration',
        's3:PutBucketPolicy',
        's3:DeleteBucketPolicy',
        's3:PutBucketObjectLockConfiguration',
      ]),
    );
  });
});

describe('the incident key', () => {
  it("rotates, is kept on stack deletion, and lets in besides the account only this account's alarms and log group", () => {
    // Prepare
    const key = central.toJSON().Resources[KEY];

    // Assess
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
    expect(key.Properties.KeyPolicy.Statement).toEqual([
      { Effect: 'Allow', Principal: { AWS: accountArn(':root') }, Action: 'kms:*', Resource: '*' },
      {
        Sid: 'AllowCloudWatchAlarmsToPublishToTheEncryptedTopic',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: { 'aws:SourceArn': regionalArn('cloudwatch', ':alarm:*') },
        },
      },
      {
        Sid: 'AllowTheResponderLogGroupToEncrypt',
        Effect: 'Allow',
        Principal: { Service: 'logs.us-east-1.amazonaws.com' },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: {
          ArnEquals: {
            'kms:EncryptionContext:aws:logs:arn': regionalArn(
              'logs',
              ':log-group:/cryptominer-defense/central-responder',
            ),
          },
        },
      },
    ]);
  });
});

describe('the way in: rules, queue and function', () => {
  it('matches core pattern on the default bus and on the forwarding bus, into the queue', () => {
    // Prepare
    const rules = Object.values(central.findResources('AWS::Events::Rule'));

    // Assess
    expect(rules).toHaveLength(2);
    for (const rule of rules) {
      expect(rule.Properties.EventPattern).toEqual(cryptoMiningEventPattern());
      expect(rule.Properties.Targets).toEqual([
        {
          Id: 'Target0',
          Arn: { 'Fn::GetAtt': [QUEUE, 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [DEAD_LETTER_QUEUE, 'Arn'] } },
        },
      ]);
    }
    expect(rules.map((rule) => rule.Properties.EventBusName)).toEqual([undefined, { Ref: 'ForwardingBus4493BC97' }]);
  });

  it('keeps findings in an encrypted queue with a dead-letter queue, invisible while a response runs', () => {
    const queue = central.toJSON().Resources[QUEUE].Properties;
    expect(queue.SqsManagedSseEnabled).toBe(true);
    expect(queue.VisibilityTimeout).toBe(1800);
    expect(queue.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [DEAD_LETTER_QUEUE, 'Arn'] },
      maxReceiveCount: 3,
    });
  });

  it('runs the responder on Node.js 24, arm64, 300 s, reserved concurrency, configured like the CLI', () => {
    // Prepare
    const fn = onlyResource(central, 'AWS::Lambda::Function').Properties;

    // Assess
    expect(fn.Runtime).toBe('nodejs24.x');
    expect(fn.Architectures).toEqual(['arm64']);
    expect(fn.Timeout).toBe(300);
    expect(fn.ReservedConcurrentExecutions).toBe(5);
    expect(fn.Handler).toBe('index.handler');
    expect(fn.Role).toEqual({ 'Fn::GetAtt': ['ResponderRoleFF01DA10', 'Arn'] });
    expect(fn.Environment).toEqual({
      Variables: {
        REPORT_BUCKET: { Ref: REPORT_BUCKET },
        REPORT_KMS_KEY_ID: { 'Fn::GetAtt': [KEY, 'Arn'] },
        RESPONDER_ROLE_NAME: { Ref: 'ResponderRoleName' },
        ISOLATION_SG_NAME: { Ref: 'IsolationSecurityGroupName' },
        PROTECTED_PRINCIPALS: { Ref: 'ProtectedPrincipals' },
        DEPLOYMENT_PRINCIPALS: { Ref: 'DeploymentPrincipals' },
        LAUNCH_AGE_THRESHOLD_HOURS: { Ref: 'LaunchAgeThresholdHours' },
        MAX_FOLLOWED_INSTANCES: { Ref: 'MaxFollowedInstances' },
        ALERT_TOPIC_ARN: { Ref: ALERT_TOPIC },
        CHAT_ALERT_TOPIC_ARN: { Ref: CHAT_ALERT_TOPIC },
        RESPONSE_POLICY: { Ref: 'ResponsePolicy' },
        CONTAINMENT_CAP_PER_ACCOUNT_PER_HOUR: { Ref: 'ContainmentCapPerAccountPerHour' },
        CONTAINMENT_CAP_PER_ORGANIZATION_PER_HOUR: { Ref: 'ContainmentCapPerOrganizationPerHour' },
        SECURITY_HUB_UPDATES: { Ref: 'SecurityHubUpdates' },
        FINDING_QUEUE_ARN: { 'Fn::GetAtt': [QUEUE, 'Arn'] },
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
  });

  it('reads the queue one finding at a time and reports partial batch failures', () => {
    const mapping = onlyResource(central, 'AWS::Lambda::EventSourceMapping').Properties;
    expect(mapping).toEqual({
      BatchSize: 1,
      EventSourceArn: { 'Fn::GetAtt': [QUEUE, 'Arn'] },
      FunctionName: { Ref: 'ResponderFunctionF0C76E50' },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });
});

describe('the forwarding bus', () => {
  it('accepts the forwarders of the organization and refuses anyone outside it', () => {
    // Prepare
    const statements = Object.values(central.findResources('AWS::Events::EventBusPolicy')).map(
      (policy) => policy.Properties.Statement,
    );

    // Assess
    const busArn = { 'Fn::GetAtt': ['ForwardingBus4493BC97', 'Arn'] };
    expect(statements).toEqual([
      {
        Sid: 'cdk-AcceptFindingsFromTheForwarders',
        Effect: 'Allow',
        Principal: { AWS: accountArn(':root') },
        Action: 'events:PutEvents',
        Resource: busArn,
        Condition: {
          StringEquals: { 'aws:PrincipalOrgID': { Ref: 'OrganizationId' } },
          ArnLike: { 'aws:PrincipalArn': accountArn(':role/CryptominerFindingForwarder-*') },
        },
      },
      {
        Sid: 'cdk-RefuseEventsFromOutsideTheOrganization',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'events:PutEvents',
        Resource: busArn,
        Condition: { StringNotEquals: { 'aws:PrincipalOrgID': { Ref: 'OrganizationId' } } },
      },
      {
        Sid: 'cdk-RefuseEventsFromAnyoneButTheForwarders',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'events:PutEvents',
        Resource: busArn,
        Condition: { ArnNotLike: { 'aws:PrincipalArn': accountArn(':role/CryptominerFindingForwarder-*') } },
      },
    ]);
  });
});

describe('the findings queues', () => {
  it.each([
    ['queue', QUEUE],
    ['dead-letter queue', DEAD_LETTER_QUEUE],
  ])('refuse messages from anyone but the two finding rules (%s)', (_name, queue) => {
    // Prepare
    const policy = Object.values(central.findResources('AWS::SQS::QueuePolicy')).find(
      (resource) => JSON.stringify(resource.Properties.Queues) === JSON.stringify([{ Ref: queue }]),
    );

    // Act
    const statements = (policy?.Properties.PolicyDocument.Statement ?? []) as Statement[];

    // Assess
    expect(statements.filter((statement) => statement.Effect === 'Deny')).toEqual([
      {
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'sqs:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Resource: { 'Fn::GetAtt': [queue, 'Arn'] },
      },
      {
        Sid: 'OnlyTheFindingRulesSendMessages',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'sqs:SendMessage',
        Condition: {
          ArnNotEquals: {
            'aws:SourceArn': [
              { 'Fn::GetAtt': ['HomeRegionFindingsRuleBF301AE2', 'Arn'] },
              { 'Fn::GetAtt': ['ForwardedFindingsRuleF3C9CF20', 'Arn'] },
            ],
          },
        },
        Resource: { 'Fn::GetAtt': [queue, 'Arn'] },
      },
    ]);
    const allowed = statements.filter((statement) => statement.Effect === 'Allow');
    expect(allowed.map((statement) => statement.Principal)).toEqual([
      { Service: 'events.amazonaws.com' },
      { Service: 'events.amazonaws.com' },
    ]);
  });
});

describe('alerts', () => {
  it('alarms on the first dead letter, function error, failed containment step and refused event, to the encrypted topic', () => {
    // Prepare
    const alarms = Object.values(central.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties);

    // Assess
    expect(alarms.map((alarm) => [alarm.MetricName, alarm.Threshold, alarm.ComparisonOperator])).toEqual([
      ['ApproximateNumberOfMessagesVisible', 0, 'GreaterThanThreshold'],
      ['Errors', 0, 'GreaterThanThreshold'],
      ['FailedContainmentSteps', 0, 'GreaterThanThreshold'],
      ['RejectedEvents', 0, 'GreaterThanThreshold'],
    ]);
    expect(alarms.slice(2).map((alarm) => [alarm.Namespace, alarm.Statistic])).toEqual([
      ['CryptominerAutoDefense', 'Sum'],
      ['CryptominerAutoDefense', 'Sum'],
    ]);
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: ALERT_TOPIC }]);
    central.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [KEY, 'Arn'] } });
  });

  it('puts chat notifications on a topic of their own: the same key, TLS only, no alarm, no e-mail, an output', () => {
    // Prepare
    const topics = central.findResources('AWS::SNS::Topic');
    const topicPolicies = Object.values(central.findResources('AWS::SNS::TopicPolicy')).map(
      (policy) => policy.Properties as { Topics: unknown[]; PolicyDocument: { Statement: Statement[] } },
    );
    const policyOf = (topic: string) =>
      topicPolicies.find((policy) => JSON.stringify(policy.Topics) === JSON.stringify([{ Ref: topic }]));
    const subscriptions = Object.values(central.findResources('AWS::SNS::Subscription'));
    const outputs = central.toJSON().Outputs as Record<string, { Value: unknown }>;

    // Assess
    expect(Object.keys(topics).sort()).toEqual([ALERT_TOPIC, CHAT_ALERT_TOPIC]);
    expect(topics[CHAT_ALERT_TOPIC]?.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [KEY, 'Arn'] });
    const sids = (topic: string) => policyOf(topic)?.PolicyDocument.Statement.map((statement) => statement.Sid);
    expect(sids(ALERT_TOPIC)).toEqual(['AllowPublishThroughSSLOnly', 'AllowCloudWatchAlarmsOfThisAccountToPublish']);
    expect(sids(CHAT_ALERT_TOPIC)).toEqual(['AllowPublishThroughSSLOnly']);
    expect(policyOf(CHAT_ALERT_TOPIC)?.PolicyDocument.Statement[0]).toMatchObject({
      Effect: 'Deny',
      Principal: '*',
      Action: 'sns:Publish',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    expect(subscriptions.map((subscription) => subscription.Properties.TopicArn)).toEqual([{ Ref: ALERT_TOPIC }]);
    expect(outputs.ChatAlertTopicArn?.Value).toEqual({ Ref: CHAT_ALERT_TOPIC });
  });

  it('lets the function publish to the two alert topics and nowhere else', () => {
    const publish = rolePolicies().EngineCalls?.find((s) => asList(s.Action).includes('sns:Publish'));
    expect(publish?.Action).toBe('sns:Publish');
    expect(publish?.Resource).toEqual([{ Ref: ALERT_TOPIC }, { Ref: CHAT_ALERT_TOPIC }]);
  });

  it('subscribes the e-mail address only when one is given', () => {
    central.hasResource('AWS::SNS::Subscription', {
      Condition: 'HasAlertEmail',
      Properties: Match.objectLike({ Protocol: 'email', Endpoint: { Ref: 'AlertEmail' } }),
    });
  });
});
