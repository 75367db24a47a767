import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeInstancesCommand, EC2Client, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { startCloudTrailFake } from '../../src/cloudtrail/startCloudTrailFake';
import { clientConfigForAccount } from '../../src/emulator/credentialsForAccount';
import { emulatorClientConfig } from '../../src/emulator/emulatorClientConfig';
import { AwsActionRecorder } from '../../src/recording/awsActionRecorder';
import { iamActionOf } from '../../src/recording/iamActionOf';
import { emulatorEndpoint } from '../../src/vitest/emulatorEndpoint';

const MEMBER = '666666666666';

describe('AwsActionRecorder', () => {
  it('records each call as its IAM action, with the account and region the client acts in and the outcome', async () => {
    // Prepare
    const endpoint = emulatorEndpoint();
    const recorder = new AwsActionRecorder();
    const memberConfig = await clientConfigForAccount(endpoint, MEMBER, { region: 'eu-west-1' });
    const ec2 = new EC2Client(memberConfig);
    const iam = new IAMClient(memberConfig);
    const s3 = new S3Client(emulatorClientConfig(endpoint));
    const sts = new STSClient(emulatorClientConfig(endpoint));
    for (const client of [ec2, iam]) recorder.hook({ accountId: MEMBER })(client);
    for (const client of [s3, sts]) recorder.hook()(client);

    // Act
    await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER}:role/R`, RoleSessionName: 's' }));
    await ec2.send(new DescribeInstancesCommand({}));
    await ec2.send(new StopInstancesCommand({ InstanceIds: ['i-0000000000000dead'] })).catch(() => undefined);
    await iam
      .send(new PutUserPolicyCommand({ UserName: 'nobody', PolicyName: 'p', PolicyDocument: '{}' }))
      .catch(() => undefined);
    await s3.send(new CreateBucketCommand({ Bucket: 'reports' }));
    await s3.send(new PutObjectCommand({ Bucket: 'reports', Key: 'k.json', Body: '{}' }));
    await s3.send(new HeadObjectCommand({ Bucket: 'reports', Key: 'k.json' }));

    // Assess
    expect(recorder.actions()).toEqual([
      'ec2:DescribeInstances',
      'ec2:StopInstances',
      'iam:PutUserPolicy',
      's3:CreateBucket',
      's3:GetObject',
      's3:PutObject',
      'sts:AssumeRole',
    ]);
    expect(recorder.actions({ accountId: MEMBER })).toEqual([
      'ec2:DescribeInstances',
      'ec2:StopInstances',
      'iam:PutUserPolicy',
    ]);
    expect(recorder.calls.find((call) => call.action === 'ec2:DescribeInstances')).toMatchObject({
      accountId: MEMBER,
      region: 'eu-west-1',
      outcome: 'ok',
    });
    expect(recorder.calls.find((call) => call.action === 'ec2:StopInstances')?.outcome).toMatch(/NotFound/);
    expect(recorder.calls.find((call) => call.action === 'iam:PutUserPolicy')?.outcome).not.toBe('ok');
    expect(recorder.actions({ outcome: 'ok' })).not.toContain('ec2:StopInstances');
  });

  it('works as an SDK Pluggable, and records cloudtrail:LookupEvents against the fake', async () => {
    // Prepare
    const fake = await startCloudTrailFake();
    const recorder = new AwsActionRecorder();
    const cloudTrail = new CloudTrailClient(emulatorClientConfig(fake.endpoint));
    cloudTrail.middlewareStack.use(recorder.plugin({ accountId: MEMBER, region: 'us-east-1' }));

    try {
      // Act
      await cloudTrail.send(new LookupEventsCommand({ MaxResults: 5 }));

      // Assess
      expect(recorder.calls).toEqual([
        {
          action: 'cloudtrail:LookupEvents',
          clientName: 'CloudTrailClient',
          commandName: 'LookupEventsCommand',
          accountId: MEMBER,
          region: 'us-east-1',
          outcome: 'ok',
          input: { MaxResults: 5 },
        },
      ]);
    } finally {
      await fake.stop();
    }
  });
});

describe('iamActionOf', () => {
  it.each([
    ['AutoScalingClient', 'DetachInstancesCommand', 'autoscaling:DetachInstances'],
    ['OrganizationsClient', 'DescribeAccountCommand', 'organizations:DescribeAccount'],
    ['EventBridgeClient', 'PutEventsCommand', 'events:PutEvents'],
    ['S3Client', 'ListObjectsV2Command', 's3:ListBucket'],
    ['S3Client', 'GetObjectCommand', 's3:GetObject'],
  ])('maps %s %s to %s', (clientName, commandName, action) => {
    // Act
    const mapped = iamActionOf(clientName, commandName);

    // Assess
    expect(mapped).toBe(action);
  });
});
