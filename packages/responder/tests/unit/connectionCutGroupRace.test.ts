import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateTagsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { findOrCreateConnectionCutGroup } from '../../src/steps/findOrCreateConnectionCutGroup';
import { awsError } from '../support/awsError';

const ec2Mock = mockClient(EC2Client);

afterEach(() => {
  ec2Mock.reset();
});

// Read before a concurrent invocation (another instance of the same VPC) opened it: no rules yet, with the purpose
// tag that invocation created it with (a group of that name without it is refused).
const groupWithoutRules = {
  SecurityGroups: [
    {
      GroupId: 'sg-0123456789abcdef0',
      GroupName: 'CryptominerConnectionCut',
      Description: 'Cryptominer Auto Defense: all-open, passed through for a moment to end tracked connections',
      IpPermissions: [],
      IpPermissionsEgress: [],
      Tags: [{ Key: 'cryptominer-defense:purpose', Value: 'connection-cut' }],
    },
  ],
};

describe('findOrCreateConnectionCutGroup when another invocation is opening the same group', () => {
  it('takes "rule already there" as done (seen in the burst test: two findings of one VPC at once)', async () => {
    // Prepare
    ec2Mock.on(DescribeSecurityGroupsCommand).resolves(groupWithoutRules);
    ec2Mock.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });
    ec2Mock.on(AuthorizeSecurityGroupIngressCommand).rejects(awsError('InvalidPermission.Duplicate'));
    ec2Mock.on(AuthorizeSecurityGroupEgressCommand).rejects(awsError('InvalidPermission.Duplicate'));
    ec2Mock.on(CreateTagsCommand).resolves({});
    const ec2 = new EC2Client({ region: 'us-east-1' });

    // Act
    const groupId = await findOrCreateConnectionCutGroup(ec2, 'vpc-0123456789abcdef0', 'CryptominerConnectionCut');

    // Assess
    expect(groupId).toBe('sg-0123456789abcdef0');
  });

  it('still fails on any other error of an authorization', async () => {
    // Prepare
    ec2Mock.on(DescribeSecurityGroupsCommand).resolves(groupWithoutRules);
    ec2Mock.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });
    ec2Mock.on(AuthorizeSecurityGroupIngressCommand).rejects(awsError('UnauthorizedOperation'));
    ec2Mock.on(AuthorizeSecurityGroupEgressCommand).resolves({});
    ec2Mock.on(CreateTagsCommand).resolves({});
    const ec2 = new EC2Client({ region: 'us-east-1' });

    // Act
    const found = findOrCreateConnectionCutGroup(ec2, 'vpc-0123456789abcdef0', 'CryptominerConnectionCut');

    // Assess
    await expect(found).rejects.toMatchObject({ name: 'UnauthorizedOperation' });
  });
});
