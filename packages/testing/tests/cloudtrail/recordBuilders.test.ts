import { describe, expect, it } from 'vitest';
import { lookupEventOf } from '../../src/cloudtrail/lookupEventOf';
import { lookupResourcesOf } from '../../src/cloudtrail/lookupResourcesOf';
import {
  createAutoScalingGroupRecord,
  updateAutoScalingGroupRecord,
} from '../../src/cloudtrail/records/autoScalingGroupRecords';
import {
  createLaunchTemplateRecord,
  createLaunchTemplateVersionRecord,
} from '../../src/cloudtrail/records/launchTemplateRecords';
import { runInstancesRecord } from '../../src/cloudtrail/records/runInstancesRecord';
import {
  assumedRoleIdentity,
  autoScalingServiceIdentity,
  iamUserIdentity,
  rootIdentity,
} from '../../src/cloudtrail/records/userIdentities';
import { loadFixtureObject } from '../../src/fixtures/loadFixture';

const ACCOUNT = '333333333333';

describe('CloudTrail record builders', () => {
  it('build RunInstances by an IAM user on the real CLI record: identity, caller, instance, account', () => {
    // Act
    const record = runInstancesRecord({
      identity: iamUserIdentity({ accountId: ACCOUNT, userName: 'developer', accessKeyId: 'AKIAEXAMPLEKEY000001' }),
      region: 'eu-west-1',
      instanceIds: ['i-0123456789abcdef0'],
      sourceIPAddress: '198.51.100.7',
    });

    // Assess
    const fixture = loadFixtureObject('cloudtrail/ct_RunInstances_IAMUser_awscli_elastic-integrations.json');
    expect(Object.keys(record).sort()).toEqual(
      expect.arrayContaining(
        Object.keys(fixture)
          .filter((k) => k !== 'tlsDetails')
          .sort(),
      ),
    );
    expect(record.userIdentity).toEqual({
      type: 'IAMUser',
      principalId: expect.stringMatching(/^AIDA/),
      arn: `arn:aws:iam::${ACCOUNT}:user/developer`,
      accountId: ACCOUNT,
      accessKeyId: 'AKIAEXAMPLEKEY000001',
      userName: 'developer',
    });
    expect(record).toMatchObject({
      eventName: 'RunInstances',
      awsRegion: 'eu-west-1',
      recipientAccountId: ACCOUNT,
      sourceIPAddress: '198.51.100.7',
      userAgent: expect.stringMatching(/^aws-cli\//),
    });
    expect(record.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(lookupResourcesOf(record)).toContainEqual({
      ResourceType: 'AWS::EC2::Instance',
      ResourceName: 'i-0123456789abcdef0',
    });
  });

  it('build RunInstances by Auto Scaling like the real record: service-linked role, invokedBy, template, group tag', () => {
    // Act
    const record = runInstancesRecord({
      identity: autoScalingServiceIdentity({ accountId: ACCOUNT }),
      region: 'us-east-1',
      instanceIds: ['i-0aaa', 'i-0bbb'],
      autoScalingGroupName: 'web-asg',
      launchTemplateId: 'lt-0123',
    });

    // Assess
    expect(record.userIdentity).toMatchObject({
      type: 'AssumedRole',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/AWSServiceRoleForAutoScaling/AutoScaling`,
      invokedBy: 'autoscaling.amazonaws.com',
      sessionContext: {
        sessionIssuer: {
          arn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
        },
      },
    });
    expect(record.sourceIPAddress).toBe('autoscaling.amazonaws.com');
    expect(record.requestParameters).toMatchObject({ launchTemplate: { launchTemplateId: 'lt-0123' } });
    expect(record.requestParameters).not.toHaveProperty('instancesSet.items.0.imageId');
    expect(lookupResourcesOf(record).filter((r) => r.ResourceType === 'AWS::EC2::Instance')).toEqual([
      { ResourceType: 'AWS::EC2::Instance', ResourceName: 'i-0aaa' },
      { ResourceType: 'AWS::EC2::Instance', ResourceName: 'i-0bbb' },
    ]);
    expect(lookupEventOf(record).Username).toBe('AutoScaling');
  });

  it('build the identities of a role session and of root as CloudTrail writes them', () => {
    // Act
    const session = assumedRoleIdentity({ accountId: ACCOUNT, roleName: 'AppDeployRole', sessionName: 'mallory' });
    const root = rootIdentity({ accountId: ACCOUNT });

    // Assess
    expect(session).toMatchObject({
      type: 'AssumedRole',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/AppDeployRole/mallory`,
      sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/AppDeployRole` } },
    });
    expect(session).not.toHaveProperty('invokedBy');
    expect(root).toEqual({
      type: 'Root',
      principalId: ACCOUNT,
      arn: `arn:aws:iam::${ACCOUNT}:root`,
      accountId: ACCOUNT,
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    });
  });

  it('index the group and launch-template records under the group name and the template id', () => {
    // Prepare
    const identity = assumedRoleIdentity({ accountId: ACCOUNT, roleName: 'AppDeployRole', sessionName: 'mallory' });
    const context = { identity, region: 'us-east-1' };

    // Act
    const records = [
      createAutoScalingGroupRecord({ ...context, autoScalingGroupName: 'web-asg', launchTemplateId: 'lt-0123' }),
      updateAutoScalingGroupRecord({ ...context, autoScalingGroupName: 'web-asg', desiredCapacity: 5 }),
      createLaunchTemplateRecord({ ...context, launchTemplateId: 'lt-0123', launchTemplateName: 'web' }),
      createLaunchTemplateVersionRecord({
        ...context,
        launchTemplateId: 'lt-0123',
        launchTemplateName: 'web',
        userData: 'curl pool | sh',
      }),
    ];

    // Assess
    expect(records.map((record) => [record.eventSource, record.eventName])).toEqual([
      ['autoscaling.amazonaws.com', 'CreateAutoScalingGroup'],
      ['autoscaling.amazonaws.com', 'UpdateAutoScalingGroup'],
      ['ec2.amazonaws.com', 'CreateLaunchTemplate'],
      ['ec2.amazonaws.com', 'CreateLaunchTemplateVersion'],
    ]);
    const names = records.map((record) => lookupResourcesOf(record).map((r) => r.ResourceName));
    expect(names).toEqual([['lt-0123', 'web-asg'], ['web-asg'], ['lt-0123'], ['lt-0123']]);
    expect(JSON.stringify(records[3])).not.toContain('curl pool');
  });
});
