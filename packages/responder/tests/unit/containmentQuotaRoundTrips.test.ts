import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeAccountCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandInput,
  PutObjectCommand,
  type PutObjectCommandInput,
  S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { CONTAINMENT_QUOTA_PREFIX } from '@cryptominer-defense/core';
import { guardDutyFindingEvent } from '@cryptominer-defense/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createResponder } from '../../src/createResponder';
import type { ResponderLogger } from '../../src/responderLogger';
import { awsError } from '../support/awsError';
import { signal } from '../support/signal';

const organizations = mockClient(OrganizationsClient);
const sts = mockClient(STSClient);
const s3 = mockClient(S3Client);
const ec2 = mockClient(EC2Client);
const cloudTrail = mockClient(CloudTrailClient);
const mocks = [organizations, sts, s3, ec2, cloudTrail];
const quiet: ResponderLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const ACCOUNT = '111122223333';
const ENV = {
  REPORT_BUCKET: 'incident-reports',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'a',
  AWS_SECRET_ACCESS_KEY: 's',
};
const EVENT = guardDutyFindingEvent({ accountId: ACCOUNT, region: 'us-east-1', instanceId: 'i-0123456789abcdef0' });
const isSlot = (key: string | undefined) => key?.startsWith(CONTAINMENT_QUOTA_PREFIX) === true;

beforeEach(() => {
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
  s3.on(PutObjectCommand).resolves({});
  cloudTrail.on(LookupEventsCommand).resolves({ Events: [] });
});

afterEach(() => {
  for (const mock of mocks) mock.reset();
});

function slotWrites(): string[] {
  return s3
    .commandCalls(PutObjectCommand)
    .flatMap((call) => (isSlot(call.args[0].input.Key) ? [call.args[0].input.Key ?? ''] : []));
}

describe('the blast-radius cap adds no dependent round trip', () => {
  it('lists the slots with the guard reads: membership answers only once both listings were asked', async () => {
    // Prepare: one after the other, this never ends.
    const listed = new Set<string>();
    const bothListed = signal();
    s3.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => {
      if (input.Prefix?.startsWith(CONTAINMENT_QUOTA_PREFIX) === true) listed.add(input.Prefix);
      if (listed.size === 2) bothListed.reach();
      return { Contents: [] };
    });
    organizations.on(DescribeAccountCommand).callsFake(async () => {
      await bothListed.reached;
      return { Account: { Id: ACCOUNT, State: 'ACTIVE' } };
    });
    ec2.on(DescribeInstancesCommand).rejects(awsError('InvalidInstanceID.NotFound'));
    const responder = createResponder({ env: ENV, logger: quiet });

    // Act
    const handled = await responder.handle(EVENT);

    // Assess
    expect(handled.kind === 'reported' ? handled.report.responseMode.mode : handled.kind).toBe('full');
    expect([...listed].sort()).toEqual([
      expect.stringMatching(new RegExp(`^${CONTAINMENT_QUOTA_PREFIX}account/${ACCOUNT}/\\d{4}-\\d{2}-\\d{2}T\\d{2}/$`)),
      expect.stringMatching(new RegExp(`^${CONTAINMENT_QUOTA_PREFIX}organization/\\d{4}-\\d{2}-\\d{2}T\\d{2}/$`)),
    ]);
    responder.destroy();
  });

  it('claims the slots beside the instance read: the instance answers only once both slots were asked for', async () => {
    // Prepare
    const bothClaimed = signal();
    s3.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
      if (isSlot(input.Key) && slotWrites().length === 2) bothClaimed.reach();
      return {};
    });
    ec2.on(DescribeInstancesCommand).callsFake(async () => {
      await bothClaimed.reached;
      throw awsError('InvalidInstanceID.NotFound');
    });
    const responder = createResponder({ env: ENV, logger: quiet });

    // Act
    const handled = await responder.handle(EVENT);

    // Assess
    const steps = handled.kind === 'reported' ? handled.report.steps : [];
    expect(steps.filter((step) => step.step === 'claimContainmentSlot').map((step) => step.status)).toEqual([
      'succeeded',
      'succeeded',
    ]);
    expect(slotWrites()).toHaveLength(2);
    responder.destroy();
  });

  it('when only a tag rule could raise an observe account, claims after the instance read, and not at all without the tag', async () => {
    // Prepare
    const policy = { default: 'observe', rules: [{ tag: { key: 'Contain' }, mode: 'contain' }] };
    const instance = (tags: Record<string, string>) => ({
      Reservations: [
        {
          Instances: [
            {
              InstanceId: 'i-0123456789abcdef0',
              State: { Name: 'running' as const },
              NetworkInterfaces: [],
              Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
            },
          ],
        },
      ],
    });
    let instanceRead = false;
    let claimedBeforeTheRead = false;
    s3.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
      if (isSlot(input.Key) && !instanceRead) claimedBeforeTheRead = true;
      return {};
    });
    const respond = async (tags: Record<string, string>) => {
      instanceRead = false;
      ec2.on(DescribeInstancesCommand).callsFake(() => {
        instanceRead = true;
        return instance(tags);
      });
      const responder = createResponder({ env: { ...ENV, RESPONSE_POLICY: JSON.stringify(policy) }, logger: quiet });
      const handled = await responder.handle(EVENT);
      responder.destroy();
      return handled.kind === 'reported' ? handled.report.responseMode.mode : handled.kind;
    };

    // Act
    const untagged = await respond({});
    const writesUntagged = slotWrites().length;
    const tagged = await respond({ Contain: 'yes' });

    // Assess
    expect(untagged).toBe('observe');
    expect(writesUntagged).toBe(0);
    expect(tagged).toBe('contain');
    expect(slotWrites()).toHaveLength(2);
    expect(claimedBeforeTheRead).toBe(false);
  });
});
