import {
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  RevokeSecurityGroupEgressCommand,
} from '@aws-sdk/client-ec2';
import { ISOLATION_GROUP_TAG } from '@cryptominer-defense/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { findOrCreateIsolationGroup } from '../../src/steps/findOrCreateIsolationGroup';
import { awsError } from '../support/awsError';

const ec2Mock = mockClient(EC2Client);

afterEach(() => {
  ec2Mock.reset();
});

describe('findOrCreateIsolationGroup when another invocation is emptying the same group', () => {
  it('takes "rule already gone" as done: the group has no egress rule either way', async () => {
    // Prepare: the group was read with its default egress rule, which a concurrent invocation revoked first
    // (seen in the burst test: findings on two instances of one VPC handled at the same moment).
    ec2Mock.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        {
          GroupId: 'sg-0123456789abcdef0',
          GroupName: 'CryptominerIsolationGroup',
          IpPermissions: [],
          IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
          Tags: [{ ...ISOLATION_GROUP_TAG }],
        },
      ],
    });
    ec2Mock.on(CreateSecurityGroupCommand).rejects(awsError('InvalidGroup.Duplicate'));
    ec2Mock.on(RevokeSecurityGroupEgressCommand).rejects(awsError('InvalidPermission.NotFound'));
    ec2Mock.on(CreateTagsCommand).resolves({});
    const ec2 = new EC2Client({ region: 'us-east-1' });

    // Act
    const groupId = await findOrCreateIsolationGroup(ec2, 'vpc-0123456789abcdef0', 'CryptominerIsolationGroup');

    // Assess
    expect(groupId).toBe('sg-0123456789abcdef0');
    expect(ec2Mock.commandCalls(RevokeSecurityGroupEgressCommand)).toHaveLength(1);
  });

  it('still fails on any other error of the revocation', async () => {
    // Prepare
    ec2Mock.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        {
          GroupId: 'sg-0123456789abcdef0',
          GroupName: 'CryptominerIsolationGroup',
          IpPermissions: [],
          IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
          Tags: [{ ...ISOLATION_GROUP_TAG }],
        },
      ],
    });
    ec2Mock.on(RevokeSecurityGroupEgressCommand).rejects(awsError('UnauthorizedOperation'));
    const ec2 = new EC2Client({ region: 'us-east-1' });

    // Act
    const found = findOrCreateIsolationGroup(ec2, 'vpc-0123456789abcdef0', 'CryptominerIsolationGroup');

    // Assess
    await expect(found).rejects.toMatchObject({ name: 'UnauthorizedOperation' });
  });
});
