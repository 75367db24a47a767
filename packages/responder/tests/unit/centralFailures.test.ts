import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { DescribeAccountCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { guardDutyEksFindingEvent, guardDutyFindingEvent } from '@cryptominer-defense/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLambdaHandler } from '../../src/createLambdaHandler';
import { createResponder, type FindingHandled } from '../../src/createResponder';
import { ReportWriteError } from '../../src/errors';
import type { ResponderLogger } from '../../src/responderLogger';
import { ACCESS_DENIED, awsError, THROTTLED } from '../support/awsError';
import { expectValidReport } from '../support/expectValidReport';
import { changingCommands } from '../support/sentActions';

const organizations = mockClient(OrganizationsClient);
const sts = mockClient(STSClient);
const s3 = mockClient(S3Client);
const sns = mockClient(SNSClient);
const ec2 = mockClient(EC2Client);
// Every client the engine creates is mocked: no call may leave the process.
const cloudTrail = mockClient(CloudTrailClient);
const autoScaling = mockClient(AutoScalingClient);
const iam = mockClient(IAMClient);
const mocks = [organizations, sts, s3, sns, ec2, cloudTrail, autoScaling, iam];

const ACCOUNT = '111122223333';
const env = {
  REPORT_BUCKET: 'incident-reports',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIAUNITTEST',
  AWS_SECRET_ACCESS_KEY: 'unit-test',
};

const logged: { level: string; message: string; attributes: Record<string, unknown> }[] = [];
const logger: ResponderLogger = {
  info: (message, ...attributes) =>
    logged.push({ level: 'info', message, attributes: Object.assign({}, ...attributes) }),
  warn: (message, ...attributes) =>
    logged.push({ level: 'warn', message, attributes: Object.assign({}, ...attributes) }),
  error: (message, ...attributes) =>
    logged.push({ level: 'error', message, attributes: Object.assign({}, ...attributes) }),
};

const instanceEvent = () =>
  guardDutyFindingEvent({ accountId: ACCOUNT, region: 'us-east-1', instanceId: 'i-0123456789abcdef0' });

function reported(handled: FindingHandled) {
  if (handled.kind !== 'reported') throw new Error(`expected a report, got ${JSON.stringify(handled)}`);
  expectValidReport(handled.report);
  return handled.report;
}

beforeEach(() => {
  for (const mock of mocks) mock.reset();
  logged.length = 0;
  organizations.on(DescribeAccountCommand).resolves({ Account: { Id: ACCOUNT, State: 'ACTIVE', Status: 'ACTIVE' } });
  sts.on(AssumeRoleCommand).resolves({
    Credentials: {
      AccessKeyId: 'ASIA1',
      SecretAccessKey: 's',
      SessionToken: 't',
      Expiration: new Date(Date.now() + 3_600_000),
    },
  });
  s3.on(PutObjectCommand).resolves({});
  // No earlier delivery of any finding: the state and claims are not there.
  s3.on(GetObjectCommand).rejects(awsError('NoSuchKey'));
  s3.on(ListObjectsV2Command).resolves({ Contents: [] });
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  ec2.on(DescribeInstancesCommand).rejects(awsError('InvalidInstanceID.NotFound'));
  cloudTrail.on(LookupEventsCommand).resolves({ Events: [] });
});

afterEach(() => {
  for (const mock of mocks) mock.reset();
});

describe('the organization membership check', () => {
  it.each([
    ['access denied', ACCESS_DENIED.organizations],
    ['throttled', THROTTLED.organizations],
  ])('fails closed when Organizations answers %s: nothing changed, a report says why', async (_case, code) => {
    // Prepare
    organizations.on(DescribeAccountCommand).rejects(awsError(code));

    // Act
    const report = reported(await createResponder({ env, logger }).handle(instanceEvent()));

    // Assess
    expect(changingCommands(ec2, autoScaling, iam)).toEqual([]);
    expect(report.disposition).toBe('refused');
    expect(report.steps).toEqual([
      expect.objectContaining({ step: 'claimFinding', status: 'succeeded' }),
      expect.objectContaining({ step: 'claimInstance', status: 'succeeded' }),
      expect.objectContaining({ step: 'verifyOrganizationMembership', status: 'failed', errorCode: code }),
    ]);
    expect(report.response.manualInterventionRequired).toBe(true);
  });

  it.each([
    ['the newer State field first', { State: 'SUSPENDED', Status: 'ACTIVE' }, 'refused'],
    ['Status when State is absent', { Status: 'ACTIVE' }, 'responded'],
    ['a pending closure', { State: 'PENDING_CLOSURE' }, 'refused'],
  ] as const)('reads %s', async (_case, account, disposition) => {
    // Prepare
    organizations.on(DescribeAccountCommand).resolves({ Account: { Id: ACCOUNT, ...account } });

    // Act
    const report = reported(await createResponder({ env, logger }).handle(instanceEvent()));

    // Assess
    expect(report.disposition).toBe(disposition);
  });

  it('asks Organizations once per account while the answer is fresh', async () => {
    // Prepare
    const responder = createResponder({ env, logger });

    // Act
    await responder.handle(instanceEvent());
    await responder.handle(instanceEvent());

    // Assess
    expect(organizations.commandCalls(DescribeAccountCommand)).toHaveLength(1);
  });
});

describe('reaching the member account', () => {
  it.each([
    ['access denied', ACCESS_DENIED.sts],
    ['throttled', THROTTLED.sts],
  ])('records a failed AssumeRole (%s) and touches nothing in the account', async (_case, code) => {
    // Prepare
    sts.on(AssumeRoleCommand).rejects(awsError(code));

    // Act
    const report = reported(await createResponder({ env, logger }).handle(instanceEvent()));

    // Assess
    expect(ec2.calls()).toHaveLength(0);
    expect(report.steps.at(-1)).toMatchObject({
      step: 'assumeResponderRole',
      status: 'failed',
      errorCode: code,
      target: `arn:aws:iam::${ACCOUNT}:role/CryptominerResponderRole`,
    });
    expect(report.response.manualInterventionRequired).toBe(true);
  });

  it("assumes the configured role, with the finding's partition: once per account, and once per finding for its changes", async () => {
    // Prepare
    // A function in GovCloud, and a finding of its partition.
    const responder = createResponder({
      env: { ...env, AWS_REGION: 'us-gov-west-1', RESPONDER_ROLE_NAME: 'Responder' },
      logger,
    });
    const event = guardDutyFindingEvent({
      accountId: ACCOUNT,
      region: 'us-gov-west-1',
      instanceId: 'i-0123456789abcdef0',
      partition: 'aws-us-gov',
    });

    // Act
    await responder.handle(event);
    await responder.handle(event);

    // Assess: the account's session for the reads, the finding's own (name and SourceIdentity) for the changes.
    const inputs = sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input);
    const session = `cmd-${event.detail.id}`;
    expect(inputs.map(({ RoleSessionName, SourceIdentity }) => [RoleSessionName, SourceIdentity]).sort()).toEqual(
      [
        ['CryptominerResponder', undefined],
        [session, session],
      ].sort(),
    );
    for (const input of inputs) expect(input.RoleArn).toBe(`arn:aws-us-gov:iam::${ACCOUNT}:role/Responder`);
  });
});

describe('writing the report', () => {
  /** The PutObject of the report (the ledger's writes under responder-state/ come before it). */
  const reportPut = () =>
    s3
      .commandCalls(PutObjectCommand)
      .map((call) => call.args[0].input)
      .find((input) => input.Key?.startsWith('incidents/'));

  it('fails the invocation with the report attached when S3 refuses (access denied or throttled)', async () => {
    // Prepare
    s3.on(PutObjectCommand).rejects(awsError(ACCESS_DENIED.s3));

    // Act
    const act = createResponder({ env, logger }).handle(
      guardDutyEksFindingEvent({ accountId: ACCOUNT, region: 'us-east-1', clusterName: 'c' }),
    );

    // Assess
    await expect(act).rejects.toThrow(ReportWriteError);
    await expect(act).rejects.toMatchObject({ bucket: 'incident-reports', report: { disposition: 'needs-person' } });
  });

  it('asks for SSE-KMS under the configured key, as JSON, written once (If-None-Match)', async () => {
    // Prepare
    const kmsKey = 'arn:aws:kms:us-east-1:999988887777:key/1234abcd-12ab-34cd-56ef-1234567890ab';

    // Act
    await createResponder({ env: { ...env, REPORT_KMS_KEY_ID: kmsKey }, logger }).handle(
      guardDutyEksFindingEvent({ accountId: ACCOUNT, region: 'us-east-1', clusterName: 'c' }),
    );

    // Assess
    const input = reportPut();
    expect(input).toMatchObject({
      Bucket: 'incident-reports',
      ContentType: 'application/json',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: kmsKey,
      IfNoneMatch: '*',
    });
    expectValidReport(JSON.parse(String(input?.Body)));
  });

  it('leaves encryption to the bucket when no key is configured', async () => {
    // Act
    await createResponder({ env, logger }).handle(
      guardDutyEksFindingEvent({ accountId: ACCOUNT, region: 'us-east-1', clusterName: 'c' }),
    );

    // Assess
    expect(reportPut()).not.toHaveProperty('ServerSideEncryption');
  });
});

describe('the alert', () => {
  const topic = 'arn:aws:sns:us-east-1:999988887777:incidents';

  it('publishes a summary naming the report when ALERT_TOPIC_ARN is set', async () => {
    // Act
    const handled = await createResponder({ env: { ...env, ALERT_TOPIC_ARN: topic }, logger }).handle(instanceEvent());

    // Assess
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.TopicArn).toBe(topic);
    expect(input?.Message).toContain(
      handled.kind === 'reported' ? `s3://incident-reports/${handled.key}` : 'unreachable',
    );
    expect(input?.Message).toContain('A person must act');
  });

  it('does not fail the invocation when publishing fails: the report is stored', async () => {
    // Prepare
    sns.on(PublishCommand).rejects(awsError('AuthorizationError'));

    // Act
    const handled = await createResponder({ env: { ...env, ALERT_TOPIC_ARN: topic }, logger }).handle(instanceEvent());

    // Assess
    expect(handled.kind).toBe('reported');
    expect(logged).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'Could not publish the incident alert' }),
    );
  });

  it('publishes nothing without ALERT_TOPIC_ARN', async () => {
    // Act
    await createResponder({ env, logger }).handle(instanceEvent());

    // Assess
    expect(sns.calls()).toHaveLength(0);
  });
});

describe('a finding of another partition', () => {
  it.each([
    ['its partition', { partition: 'aws-cn', region: 'us-east-1' }, 'partition aws-cn'],
    ["its region's partition", { partition: 'aws', region: 'cn-north-1' }, 'region cn-north-1 is in partition aws-cn'],
  ])('is refused by %s before any role is assumed: no call at all, counted', async (_what, where, says) => {
    // Prepare
    const event = instanceEvent();
    const forged = { ...event, detail: { ...event.detail, ...where } };

    // Act
    const handled = await createResponder({ env, logger }).handle(forged);

    // Assess
    expect(handled).toEqual({ kind: 'ignored', reason: expect.stringContaining(says) });
    for (const mock of mocks) expect(mock.calls()).toHaveLength(0);
    expect(logged).toContainEqual(
      expect.objectContaining({
        attributes: expect.objectContaining({ RejectedEvents: 1, partition: where.partition }),
      }),
    );
  });
});

describe('the Lambda handler', () => {
  const FINDING_QUEUE_ARN = 'arn:aws:sqs:us-east-1:999988887777:findings';
  const handlerEnv = { ...env, FINDING_QUEUE_ARN };
  const sqsRecord = (messageId: string, body: unknown, eventSourceARN = FINDING_QUEUE_ARN) => ({
    messageId,
    receiptHandle: 'r',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {},
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN,
    awsRegion: 'us-east-1',
  });

  it('returns the SQS records whose report could not be written, and only those', async () => {
    // Prepare
    const unwritable = guardDutyFindingEvent({
      accountId: '444455556666',
      region: 'us-east-1',
      instanceId: 'i-0123456789abcdef1',
    });
    s3.on(PutObjectCommand).callsFake((input: { Key?: string }) => {
      if (input.Key?.includes('444455556666') === true) throw awsError('SlowDown');
      return {};
    });
    const handler = createLambdaHandler({ env: handlerEnv, logger });

    // Act
    const result = await handler({
      Records: [
        sqsRecord('written', instanceEvent()),
        sqsRecord('not-written', unwritable),
        sqsRecord('not-json', '{oops'),
        sqsRecord('not-guardduty', { source: 'aws.s3' }),
      ],
    });

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'not-written' }] });
    expect(logged).toContainEqual(
      expect.objectContaining({
        level: 'error',
        attributes: expect.objectContaining({ messageId: 'not-written', unwrittenReport: expect.any(Object) }),
      }),
    );
  });

  it('answers a bare EventBridge event with the report key where a harness allows direct invocation', async () => {
    // Prepare
    const handler = createLambdaHandler({ env: { ...env, ALLOW_DIRECT_INVOCATION: 'true' }, logger });

    // Act
    const result = await handler(instanceEvent());

    // Assess
    expect(result).toEqual({
      reportKey: expect.stringMatching(/^incidents\/111122223333\/us-east-1\//),
      manualInterventionRequired: true,
    });
  });

  it('fails a bare event whose report could not be written, so that the platform retries it', async () => {
    // Prepare
    s3.on(PutObjectCommand).rejects(awsError('InternalError'));
    const handler = createLambdaHandler({ env: { ...env, ALLOW_DIRECT_INVOCATION: 'true' }, logger });

    // Act
    const act = handler(instanceEvent());

    // Assess
    await expect(act).rejects.toThrow(ReportWriteError);
  });

  it('rejects a bare event and records of another queue: logged, counted, nothing called', async () => {
    // Prepare
    const handler = createLambdaHandler({ env: handlerEnv, logger });

    // Act
    const bare = await handler(instanceEvent());
    const batch = await handler({
      Records: [sqsRecord('forged', instanceEvent(), 'arn:aws:sqs:us-east-1:999988887777:other-queue')],
    });

    // Assess
    expect(bare).toEqual({ rejected: expect.stringContaining('direct invocation is not allowed') });
    expect(batch).toEqual({ batchItemFailures: [] });
    for (const mock of mocks) expect(mock.calls()).toHaveLength(0);
    const rejected = logged.filter((entry) => entry.message.startsWith('Rejected'));
    expect(rejected).toHaveLength(2);
    expect(rejected[1]?.attributes).toMatchObject({
      messageId: 'forged',
      RejectedEvents: 1,
      _aws: { CloudWatchMetrics: [{ Namespace: 'CryptominerAutoDefense', Metrics: [{ Name: 'RejectedEvents' }] }] },
    });
  });

  it('refuses to start without knowing its queue (or a harness saying it hands events directly)', () => {
    // Act
    const act = () => createLambdaHandler({ env, logger });

    // Assess
    expect(act).toThrow(/FINDING_QUEUE_ARN/);
  });

  it('refuses to start without its configuration, naming the variable', () => {
    // Act
    const act = () => createLambdaHandler({ env: { AWS_REGION: 'us-east-1' }, logger });

    // Assess
    expect(act).toThrow(/REPORT_BUCKET/);
  });
});
