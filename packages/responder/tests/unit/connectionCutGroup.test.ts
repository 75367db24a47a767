import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateTagsCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { findOrCreateConnectionCutGroup } from '../../src/steps/findOrCreateConnectionCutGroup';

const ec2Mock = mockClient(EC2Client);
const ec2 = new EC2Client({ region: 'us-east-1' });

beforeEach(() => {
  ec2Mock.reset();
  ec2Mock.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
  ec2Mock.on(AuthorizeSecurityGroupEgressCommand).resolves({ Return: true });
  ec2Mock.on(CreateTagsCommand).resolves({});
});

describe('the all-open group, when a group of that name already exists', () => {
  it('refuses to open a group this tool did not create (CONNECTION_CUT_SG_NAME=default), and changes nothing', async () => {
    // Prepare
    ec2Mock.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        {
          GroupId: 'sg-0default',
          GroupName: 'default',
          Description: 'default VPC security group',
          IpPermissions: [],
          IpPermissionsEgress: [],
          Tags: [],
        },
      ],
    });

    // Act
    const act = findOrCreateConnectionCutGroup(ec2, 'vpc-1', 'default');

    // Assess
    await expect(act).rejects.toThrow(/not created by this tool.*CONNECTION_CUT_SG_NAME/);
    expect(ec2Mock.commandCalls(AuthorizeSecurityGroupIngressCommand)).toHaveLength(0);
    expect(ec2Mock.commandCalls(AuthorizeSecurityGroupEgressCommand)).toHaveLength(0);
    expect(ec2Mock.commandCalls(CreateTagsCommand)).toHaveLength(0);
  });

  it('refuses a group with its description but without the purpose tag: the tag is set only at creation', async () => {
    // Prepare
    ec2Mock.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        {
          GroupId: 'sg-0other',
          Description: 'Cryptominer Auto Defense: all-open, passed through for a moment to end tracked connections',
          IpPermissions: [],
          IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
          Tags: [],
        },
      ],
    });

    // Act
    const act = findOrCreateConnectionCutGroup(ec2, 'vpc-1', 'CryptominerConnectionCutGroup');

    // Assess
    await expect(act).rejects.toThrow(/not created by this tool.*CONNECTION_CUT_SG_NAME/);
    expect(ec2Mock.commandCalls(AuthorizeSecurityGroupIngressCommand)).toHaveLength(0);
    expect(ec2Mock.commandCalls(CreateTagsCommand)).toHaveLength(0);
  });
});
