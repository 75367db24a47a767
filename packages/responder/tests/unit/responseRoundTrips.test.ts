import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  type DescribeSecurityGroupsCommandInput,
  EC2Client,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
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
import { findingClaimKey, findingDeliveriesPrefix, findingStateKey, instanceClaimKey } from '@cryptominer-defense/core';
import { guardDutyFindingEvent } from '@cryptominer-defense/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createResponder } from '../../src/createResponder';
import type { ResponderLogger } from '../../src/responderLogger';
import { awsError } from '../support/awsError';
import { objectBody } from '../support/objectBody';
import { changingCommands } from '../support/sentActions';
import { signal } from '../support/signal';

const organizations = mockClient(OrganizationsClient);
const sts = mockClient(STSClient);
const s3 = mockClient(S3Client);
const ec2 = mockClient(EC2Client);
const cloudTrail = mockClient(CloudTrailClient);
const autoScaling = mockClient(AutoScalingClient);
const iam = mockClient(IAMClient);
// Every client the engine creates is mocked: no call may leave the process.
const mocks = [organizations, sts, s3, ec2, mockClient(SNSClient), cloudTrail, autoScaling, iam];
const quiet: ResponderLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const ACCOUNT = '111122223333';
const FINDING_ID = 'f0123456789abcdef0123456789abcde';

afterEach(() => {
  for (const mock of mocks) mock.reset();
});

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
    // The account's session (reads) and the finding's own (changes), assumed at once.
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
    responder.destroy();
  });

  it('still refuses a non-member: it may read there while Organizations answers, it changes nothing', async () => {
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
    expect(changingCommands(ec2, autoScaling, iam)).toEqual([]);
    expect(organizations.commandCalls(DescribeAccountCommand)).toHaveLength(1);
    responder.destroy();
  });
});

describe('the reads started before the answers', () => {
  it('are all answered before a refusal returns: nothing of this response runs on after it', async () => {
    // Prepare: a non-member; the instance read and the early group look-ups answer a little later than the refusal.
    const answered = { instance: false, groups: 0 };
    const later = () => new Promise((resolve) => setTimeout(resolve, 20));
    organizations.on(DescribeAccountCommand).rejects(awsError('AccountNotFoundException'));
    sts.on(AssumeRoleCommand).resolves(ROLE_CREDENTIALS);
    s3.on(GetObjectCommand).rejects(awsError('NoSuchKey'));
    s3.on(ListObjectsV2Command).resolves({ Contents: [] });
    s3.on(PutObjectCommand).resolves({});
    ec2.on(DescribeInstancesCommand).callsFake(async () => {
      await later();
      answered.instance = true;
      return RUNNING_INSTANCE;
    });
    ec2.on(DescribeSecurityGroupsCommand).callsFake(async () => {
      await later();
      answered.groups += 1;
      return { SecurityGroups: [] };
    });
    const responder = createResponder({ env: ENV, logger: quiet });

    // Act
    const handled = await responder.handle(
      guardDutyFindingEvent({
        accountId: ACCOUNT,
        region: 'us-east-1',
        instanceId: 'i-0123456789abcdef0',
        networkInterfaces: [{ networkInterfaceId: 'eni-0123456789abcdef0', vpcId: 'vpc-0123456789abcdef0' }],
      }),
    );

    // Assess: refused, and every read it started has answered (the two groups of the finding's VPC).
    expect(handled.kind === 'reported' ? handled.report.disposition : handled.kind).toBe('refused');
    expect(answered).toEqual({ instance: true, groups: 2 });
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

/** A running instance with one ENI, as DescribeInstances answers it. */
const RUNNING_INSTANCE = {
  Reservations: [
    {
      Instances: [
        {
          InstanceId: 'i-0123456789abcdef0',
          State: { Name: 'running' as const },
          NetworkInterfaces: [
            {
              NetworkInterfaceId: 'eni-0123456789abcdef0',
              VpcId: 'vpc-0123456789abcdef0',
              Groups: [{ GroupId: 'sg-0app' }],
            },
          ],
        },
      ],
    },
  ],
};

function memberAccountEvent() {
  return guardDutyFindingEvent({
    accountId: ACCOUNT,
    region: 'us-east-1',
    instanceId: 'i-0123456789abcdef0',
    findingId: FINDING_ID,
  });
}

describe('the requests before anything acts (pnpm bench: the first round trip)', () => {
  it('claims the instance while the finding is claimed: neither conditional write answers before both were asked', async () => {
    // Prepare: each claim answers only once the other was asked for; one after the other, this never ends.
    const findingClaimAsked = signal();
    const instanceClaimAsked = signal();
    const instanceClaim = instanceClaimKey({
      accountId: ACCOUNT,
      region: 'us-east-1',
      instanceId: 'i-0123456789abcdef0',
    });
    organizations.on(DescribeAccountCommand).resolves({ Account: { Id: ACCOUNT, State: 'ACTIVE' } });
    sts.on(AssumeRoleCommand).resolves(ROLE_CREDENTIALS);
    s3.on(GetObjectCommand).rejects(awsError('NoSuchKey'));
    s3.on(ListObjectsV2Command).resolves({ Contents: [] });
    s3.on(PutObjectCommand).callsFake(async (input: PutObjectCommandInput) => {
      if (input.Key === findingClaimKey(FINDING_ID, 1)) {
        findingClaimAsked.reach();
        await instanceClaimAsked.reached;
      }
      if (input.Key === instanceClaim) {
        instanceClaimAsked.reach();
        await findingClaimAsked.reached;
      }
      return {};
    });
    ec2.on(DescribeInstancesCommand).rejects(awsError('InvalidInstanceID.NotFound'));
    cloudTrail.on(LookupEventsCommand).resolves({ Events: [] });
    const responder = createResponder({ env: ENV, logger: quiet });

    // Act
    const handled = await responder.handle(memberAccountEvent());

    // Assess: the claim is this finding's, written once (If-None-Match), and recorded.
    const report = handled.kind === 'reported' ? handled.report : null;
    expect(report?.steps.find((record) => record.step === 'claimInstance')).toMatchObject({
      status: 'succeeded',
      target: instanceClaim,
    });
    const written = s3.commandCalls(PutObjectCommand).find((call) => call.args[0].input.Key === instanceClaim);
    expect(written?.args[0].input.IfNoneMatch).toBe('*');
    expect(JSON.parse(String(written?.args[0].input.Body))).toMatchObject({ findingId: FINDING_ID });
    responder.destroy();
  });

  it('assumes the role while membership and the claim are asked: neither answers before AssumeRole was asked', async () => {
    // Prepare: Organizations and the claim answer only once the role was asked for; one after the other, this
    // never ends.
    const roleAsked = signal();
    organizations.on(DescribeAccountCommand).callsFake(async () => {
      await roleAsked.reached;
      return { Account: { Id: ACCOUNT, State: 'ACTIVE' } };
    });
    s3.on(GetObjectCommand).rejects(awsError('NoSuchKey'));
    s3.on(ListObjectsV2Command).resolves({ Contents: [] });
    s3.on(PutObjectCommand).callsFake(async (input: PutObjectCommandInput) => {
      if (input.Key === findingClaimKey(FINDING_ID, 1)) await roleAsked.reached;
      return {};
    });
    sts.on(AssumeRoleCommand).callsFake(() => {
      roleAsked.reach();
      return ROLE_CREDENTIALS;
    });
    ec2.on(DescribeInstancesCommand).rejects(awsError('InvalidInstanceID.NotFound'));
    cloudTrail.on(LookupEventsCommand).resolves({ Events: [] });
    const responder = createResponder({ env: ENV, logger: quiet });

    // Act
    const handled = await responder.handle(memberAccountEvent());

    // Assess
    expect(handled.kind === 'reported' ? handled.report.disposition : handled.kind).toBe('responded');
    // The account's session (reads) and the finding's own (changes), assumed at once.
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
    responder.destroy();
  });

  it('acts only once admitted: a delivery that finds the finding claimed has read the instance, and changes nothing', async () => {
    // Prepare: another delivery holds claim 1 (fresh); the claim answers only once the instance was read.
    const instanceRead = signal();
    organizations.on(DescribeAccountCommand).resolves({ Account: { Id: ACCOUNT, State: 'ACTIVE' } });
    sts.on(AssumeRoleCommand).resolves(ROLE_CREDENTIALS);
    s3.on(GetObjectCommand, { Key: findingStateKey(FINDING_ID) }).rejects(awsError('NoSuchKey'));
    s3.on(GetObjectCommand, { Key: findingClaimKey(FINDING_ID, 1) }).resolves(
      objectBody({ eventId: 'other', claimedAt: new Date().toISOString() }),
    );
    s3.on(PutObjectCommand).callsFake(async (input: PutObjectCommandInput) => {
      if (input.IfNoneMatch === '*') {
        await instanceRead.reached;
        throw awsError('PreconditionFailed');
      }
      return {};
    });
    ec2.on(DescribeInstancesCommand).callsFake(() => {
      instanceRead.reach();
      return RUNNING_INSTANCE;
    });
    const responder = createResponder({ env: ENV, logger: quiet });

    // Act
    const handled = await responder.handle(memberAccountEvent());

    // Assess: ignored; in the member account only reads; in the bucket only this delivery's record.
    expect(handled.kind).toBe('ignored');
    expect(ec2.commandCalls(DescribeInstancesCommand)).toHaveLength(1);
    expect(changingCommands(ec2, autoScaling, iam)).toEqual([]);
    const written = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(written.filter((input) => input.IfNoneMatch !== '*')).toEqual([
      expect.objectContaining({ Key: expect.stringContaining(findingDeliveriesPrefix(FINDING_ID)) }),
    ]);
    expect(JSON.parse(String(written.find((input) => input.IfNoneMatch !== '*')?.Body))).toMatchObject({
      outcome: 'concurrent',
    });
    responder.destroy();
  });
});

describe('the requests that close a response (pnpm bench: the last round trip)', () => {
  it('lists the deliveries while the response runs, and writes the report and the state at once', async () => {
    // Prepare: the instance read answers only once the deliveries were listed; the report write answers only
    // once the state write was asked for.
    const deliveriesListed = signal();
    const stateAsked = signal();
    organizations.on(DescribeAccountCommand).resolves({ Account: { Id: ACCOUNT, State: 'ACTIVE' } });
    sts.on(AssumeRoleCommand).resolves(ROLE_CREDENTIALS);
    s3.on(GetObjectCommand).rejects(awsError('NoSuchKey'));
    s3.on(ListObjectsV2Command).callsFake(() => {
      deliveriesListed.reach();
      return { Contents: [] };
    });
    s3.on(PutObjectCommand).callsFake(async (input: PutObjectCommandInput) => {
      if (input.Key === findingStateKey(FINDING_ID)) stateAsked.reach();
      if (input.Key?.startsWith('incidents/') === true) await stateAsked.reached;
      return {};
    });
    ec2.on(DescribeInstancesCommand).callsFake(async () => {
      await deliveriesListed.reached;
      throw awsError('InvalidInstanceID.NotFound');
    });
    cloudTrail.on(LookupEventsCommand).resolves({ Events: [] });
    const responder = createResponder({ env: ENV, logger: quiet });

    // Act
    const handled = await responder.handle(memberAccountEvent());

    // Assess: the report lists the delivery; state and report both written.
    expect(handled.kind).toBe('reported');
    const keys = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key ?? '');
    expect(keys.filter((key) => key === findingStateKey(FINDING_ID) || key.startsWith('incidents/'))).toHaveLength(2);
    responder.destroy();
  });
});

describe('reads started from what the finding says of the instance (pnpm bench: the cold path)', () => {
  /** An ACTIVE member, a role, no earlier delivery, a quiet CloudTrail. */
  function answerTheCentralCalls(): void {
    organizations.on(DescribeAccountCommand).resolves({ Account: { Id: ACCOUNT, State: 'ACTIVE' } });
    sts.on(AssumeRoleCommand).resolves(ROLE_CREDENTIALS);
    s3.on(GetObjectCommand).rejects(awsError('NoSuchKey'));
    s3.on(ListObjectsV2Command).resolves({ Contents: [] });
    s3.on(PutObjectCommand).resolves({});
    cloudTrail.on(LookupEventsCommand).resolves({ Events: [] });
  }

  function hintedEvent(autoScalingGroupName: string) {
    return guardDutyFindingEvent({
      accountId: ACCOUNT,
      region: 'us-east-1',
      instanceId: 'i-0123456789abcdef0',
      findingId: FINDING_ID,
      networkInterfaces: [{ networkInterfaceId: 'eni-0123456789abcdef0', vpcId: 'vpc-0123456789abcdef0' }],
      tags: { 'aws:autoscaling:groupName': autoScalingGroupName },
    });
  }

  /** Both groups there and ready (the default names): nothing to create. */
  const READY_GROUPS: Readonly<Record<string, SecurityGroup>> = {
    CryptominerIsolationGroup: {
      GroupId: 'sg-0isolation',
      GroupName: 'CryptominerIsolationGroup',
      IpPermissions: [],
      IpPermissionsEgress: [],
      Tags: [{ Key: 'cryptominer-defense:purpose', Value: 'isolation' }],
    },
    CryptominerConnectionCutGroup: {
      GroupId: 'sg-0allopen',
      GroupName: 'CryptominerConnectionCutGroup',
      IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
      IpPermissionsEgress: [
        { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
      ],
      Tags: [{ Key: 'cryptominer-defense:purpose', Value: 'connection-cut' }],
    },
  };

  const inGroup = (name: string) => {
    const [reservation] = RUNNING_INSTANCE.Reservations;
    const [instance] = reservation?.Instances ?? [];
    return {
      Reservations: [{ Instances: [{ ...instance, Tags: [{ Key: 'aws:autoscaling:groupName', Value: name }] }] }],
    };
  };

  it('looks up the groups of the VPC and describes the Auto Scaling group while the instance is read', async () => {
    // Prepare: the instance read answers only once both groups of the VPC and the Auto Scaling group were asked for.
    answerTheCentralCalls();
    const groupsAsked = new Set<string>();
    const everythingAsked = signal();
    const asked = (what: string) => {
      groupsAsked.add(what);
      if (groupsAsked.size === 3) everythingAsked.reach();
    };
    ec2.on(DescribeSecurityGroupsCommand).callsFake((input: DescribeSecurityGroupsCommandInput) => {
      const name = String(input.Filters?.find((filter) => filter.Name === 'group-name')?.Values?.[0]);
      asked(name);
      return { SecurityGroups: [READY_GROUPS[name]] };
    });
    autoScaling.on(DescribeAutoScalingGroupsCommand).callsFake(() => {
      asked('auto scaling group');
      return { AutoScalingGroups: [] };
    });
    ec2.on(DescribeInstancesCommand).callsFake(async () => {
      await everythingAsked.reached;
      return inGroup('web');
    });
    const responder = createResponder({ env: ENV, logger: quiet });

    // Act
    const handled = await responder.handle(hintedEvent('web'));

    // Assess: each read once (the early one was used, not repeated).
    expect(handled.kind).toBe('reported');
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)).toHaveLength(2);
    expect(autoScaling.commandCalls(DescribeAutoScalingGroupsCommand)).toHaveLength(1);
    responder.destroy();
  });

  it('acts on the group the instance really is in when the finding named another one', async () => {
    // Prepare: the finding says "old-asg", EC2 says "web".
    answerTheCentralCalls();
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
    ec2.on(DescribeInstancesCommand).resolves(inGroup('web'));
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    const responder = createResponder({ env: ENV, logger: quiet });

    // Act
    await responder.handle(hintedEvent('old-asg'));

    // Assess: both described; the step's record is about "web" only.
    const described = autoScaling
      .commandCalls(DescribeAutoScalingGroupsCommand)
      .map((call) => call.args[0].input.AutoScalingGroupNames);
    expect(described).toEqual([['old-asg'], ['web']]);
    responder.destroy();
  });
});
