import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { CONNECTION_CUT_GROUP_TAG } from '@cryptominer-defense/core';
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
  ec2Mock.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-0created' });
  ec2Mock.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });
});

const openedGroups = () =>
  [
    ...ec2Mock.commandCalls(AuthorizeSecurityGroupIngressCommand),
    ...ec2Mock.commandCalls(AuthorizeSecurityGroupEgressCommand),
  ].map((call) => call.args[0].input.GroupId);

describe('the all-open group, when a group of that name cannot be used', () => {
  it('never opens a group this tool did not create (CONNECTION_CUT_SG_NAME=default): it creates default-2 and says so', async () => {
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
    const passedOver: string[] = [];

    // Act
    const groupId = await findOrCreateConnectionCutGroup(ec2, 'vpc-1', 'default', {
      passedOver: (group) => passedOver.push(`${group.groupId}: ${group.why}`),
    });

    // Assess
    expect(groupId).toBe('sg-0created');
    expect(ec2Mock.commandCalls(CreateSecurityGroupCommand)[0]?.args[0].input.GroupName).toBe('default-2');
    expect(openedGroups().every((opened) => opened === 'sg-0created')).toBe(true);
    expect(passedOver).toEqual([expect.stringMatching(/^sg-0default: not created by this tool/)]);
    expect(ec2Mock.commandCalls(CreateTagsCommand)).toHaveLength(0);
  });

  it('does not reopen its own group while an ENI is on it (a failed isolation closed it): the next name is used', async () => {
    // Prepare
    ec2Mock.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        {
          GroupId: 'sg-0closed',
          GroupName: 'CryptominerConnectionCut',
          IpPermissions: [],
          IpPermissionsEgress: [],
          Tags: [{ ...CONNECTION_CUT_GROUP_TAG }],
        },
      ],
    });
    ec2Mock
      .on(DescribeNetworkInterfacesCommand)
      .resolves({ NetworkInterfaces: [{ NetworkInterfaceId: 'eni-0stuck' }] });

    // Act
    const groupId = await findOrCreateConnectionCutGroup(ec2, 'vpc-1', 'CryptominerConnectionCut');

    // Assess
    expect(groupId).toBe('sg-0created');
    expect(ec2Mock.commandCalls(CreateSecurityGroupCommand)[0]?.args[0].input.GroupName).toBe(
      'CryptominerConnectionCut-2',
    );
    expect(openedGroups()).not.toContain('sg-0closed');
  });

  it('fails naming every group when all its names are taken by groups it cannot use, and creates nothing', async () => {
    // Prepare
    ec2Mock.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: ['CutGroup', 'CutGroup-2', 'CutGroup-3'].map((name, index) => ({
        GroupId: `sg-0foreign${index}`,
        GroupName: name,
        Description: 'Cryptominer Auto Defense: all-open, passed through for a moment to end tracked connections',
        IpPermissions: [],
        IpPermissionsEgress: [],
        Tags: [],
      })),
    });

    // Act
    const act = findOrCreateConnectionCutGroup(ec2, 'vpc-1', 'CutGroup');

    // Assess
    await expect(act).rejects.toThrow(
      /No usable security group for CutGroup in vpc-1: CutGroup \(sg-0foreign0\).*CutGroup-3 \(sg-0foreign2\)/,
    );
    expect(ec2Mock.commandCalls(CreateSecurityGroupCommand)).toHaveLength(0);
    expect(openedGroups()).toEqual([]);
  });
});
