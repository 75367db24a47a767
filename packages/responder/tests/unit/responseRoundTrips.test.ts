import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { DescribeAccountCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type PutObjectCommandInput,
  S3Client,
} from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { findingDeliveriesPrefix } from '@cryptominer-defense/core';
import { guardDutyFindingEvent } from '@cryptominer-defense/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createResponder } from '../../src/createResponder';
import type { ResponderLogger } from '../../src/responderLogger';
import { awsError } from '../support/awsError';

const organizations = mockClient(OrganizationsClient);
const sts = mockClient(STSClient);
const s3 = mockClient(S3Client);
const ec2 = mockClient(EC2Client);
const cloudTrail = mockClient(CloudTrailClient);
// Every client the engine creates is mocked: no call may leave the process.
const mocks = [
  organizations,
  sts,
  s3,
  ec2,
  mockClient(SNSClient),
  cloudTrail,
  mockClient(AutoScalingClient),
  mockClient(IAMClient),
];
const quiet: ResponderLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const ACCOUNT = '111122223333';
const FINDING_ID = 'f0123456789abcdef0123456789abcde';

afterEach(() => {
  for (const mock of mocks) mock.reset();
});

/** A promise and the function that resolves it: a mocked call can wait until another one has been made. */
function signal(): { readonly reached: Promise<void>; readonly reach: () => void } {
  let reach: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => {
    reach = resolve;
  });
  return { reached, reach };
}

const ROLE_CREDENTIALS = {
  Credentials: {
    AccessKeyId: 'ASIA1',
    SecretAccessKey: 's',
    SessionToken: 't',
    Expiration: new Date(Date.now() + 3_600_000),
  },
};
const ENV = {
  REPORT_BUCKET: 'incident-reports',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'a',
  AWS_SECRET_ACCESS_KEY: 's',
};

describe('the organization membership check (pnpm bench: the requests before the response)', () => {
  it('is asked while the finding is claimed, once: the claim answers only once membership was asked for', async () => {
    // Prepare: the claim (a conditional PutObject) waits for the membership question.
    const membershipAsked = signal();
    organizations.on(DescribeAccountCommand).callsFake(() => {
      membershipAsked.reach();
      return { Account: { Id: ACCOUNT, State: 'ACTIVE' } };
    });
    sts.on(AssumeRoleCommand).resolves(ROLE_CREDENTIALS);
    s3.on(GetObjectCommand).rejects(awsError('NoSuchKey'));
    s3.on(ListObjectsV2Command).resolves({ Contents: [] });
    s3.on(PutObjectCommand).callsFake(async () => {
      await membershipAsked.reached;
      return {};
    });
    ec2.on(DescribeInstancesCommand).rejects(awsError('InvalidInstanceID.NotFound'));
    cloudTrail.on(LookupEventsCommand).resolves({ Events: [] });
    const responder = createResponder({ env: ENV, logger: quiet });

    // Act
    const handled = await responder.handle(
      guardDutyFindingEvent({ accountId: ACCOUNT, region: 'us-east-1', instanceId: 'i-0123456789abcdef0' }),
    );

    // Assess: one question, its answer used (the role was assumed: the account is a member).
    expect(handled.kind).toBe('reported');
    expect(organizations.commandCalls(DescribeAccountCommand)).toHaveLength(1);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    responder.destroy();
  });

  it('still refuses a non-member, and assumes no role there', async () => {
    // Prepare
    organizations.on(DescribeAccountCommand).rejects(awsError('AccountNotFoundException'));
    sts.on(AssumeRoleCommand).resolves(ROLE_CREDENTIALS);
    s3.on(GetObjectCommand).rejects(awsError('NoSuchKey'));
    s3.on(ListObjectsV2Command).resolves({ Contents: [] });
    s3.on(PutObjectCommand).resolves({});
    const responder = createResponder({ env: ENV, logger: quiet });

    // Act
    const handled = await responder.handle(
      guardDutyFindingEvent({ accountId: ACCOUNT, region: 'us-east-1', instanceId: 'i-0123456789abcdef0' }),
    );

    // Assess
    expect(handled.kind === 'reported' ? handled.report.disposition : handled.kind).toBe('refused');
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(organizations.commandCalls(DescribeAccountCommand)).toHaveLength(1);
    responder.destroy();
  });
});

describe('the delivery record (pnpm bench: the requests after the response)', () => {
  it('is written while the response runs: the instance read answers only once the record was asked for', async () => {
    // Prepare: an ACTIVE member, a role, no earlier delivery; the instance read waits for the delivery record.
    organizations.on(DescribeAccountCommand).resolves({ Account: { Id: ACCOUNT, State: 'ACTIVE' } });
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIA1',
        SecretAccessKey: 's',
        SessionToken: 't',
        Expiration: new Date(Date.now() + 3_600_000),
      },
    });
    s3.on(GetObjectCommand).rejects(awsError('NoSuchKey'));
    s3.on(ListObjectsV2Command).resolves({ Contents: [] });
    let recordAsked: () => void = () => undefined;
    const recordRequested = new Promise<void>((resolve) => {
      recordAsked = resolve;
    });
    s3.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
      if (input.Key?.startsWith(findingDeliveriesPrefix(FINDING_ID)) === true) recordAsked();
      return {};
    });
    ec2.on(DescribeInstancesCommand).callsFake(async () => {
      await recordRequested;
      throw awsError('InvalidInstanceID.NotFound');
    });
    cloudTrail.on(LookupEventsCommand).resolves({ Events: [] });
    const responder = createResponder({
      env: ENV,
      logger: quiet,
    });
    const event = guardDutyFindingEvent({
      accountId: ACCOUNT,
      region: 'us-east-1',
      instanceId: 'i-0123456789abcdef0',
      findingId: FINDING_ID,
    });

    // Act
    const handled = await responder.handle(event);

    // Assess: reported, with this delivery recorded once.
    expect(handled.kind).toBe('reported');
    const records = s3
      .commandCalls(PutObjectCommand)
      .filter((call) => call.args[0].input.Key?.startsWith(findingDeliveriesPrefix(FINDING_ID)) === true);
    expect(records).toHaveLength(1);
    responder.destroy();
  });
});
