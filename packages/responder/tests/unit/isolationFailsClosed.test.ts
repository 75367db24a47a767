import {
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  type DescribeSecurityGroupsCommandInput,
  EC2Client,
  ModifyNetworkInterfaceAttributeCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import {
  CONNECTION_CUT_GROUP_TAG,
  ISOLATION_GROUP_TAG,
  isolationLeftUndone,
  stepTookEffect,
} from '@cryptominer-defense/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isolateNetworkInterfaces } from '../../src/steps/isolateNetworkInterfaces';
import { awsError } from '../support/awsError';

const ec2Mock = mockClient(EC2Client);
const ec2 = new EC2Client({ region: 'us-east-1' });

const ALL = [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] }];
const GROUPS: Readonly<Record<string, SecurityGroup>> = {
  Isolation: {
    GroupId: 'sg-0isolation',
    GroupName: 'Isolation',
    IpPermissions: [],
    IpPermissionsEgress: [],
    Tags: [{ ...ISOLATION_GROUP_TAG }],
  },
  Cut: {
    GroupId: 'sg-0allopen',
    GroupName: 'Cut',
    IpPermissions: ALL,
    IpPermissionsEgress: ALL,
    Tags: [{ ...CONNECTION_CUT_GROUP_TAG }],
  },
};
const nameAsked = (input: DescribeSecurityGroupsCommandInput) =>
  String(input.Filters?.find((filter) => filter.Name === 'group-name')?.Values?.[0]);

const instance = {
  instanceId: 'i-0123456789abcdef0',
  state: 'running',
  networkInterfaces: [
    {
      networkInterfaceId: 'eni-0a',
      vpcId: 'vpc-1',
      securityGroupIds: ['sg-0app'],
      subnetId: 'subnet-1',
      privateIpAddresses: ['10.0.0.5'],
      ipv6Addresses: [],
    },
  ],
  autoScalingGroupName: null,
  tags: {},
  volumes: [],
  hibernationConfigured: false,
  instanceProfileArn: null,
  spotInstanceRequestId: null,
  metadataOptions: null,
};
const isolate = () =>
  isolateNetworkInterfaces(ec2, instance, { isolationGroupName: 'Isolation', connectionCutGroupName: 'Cut' });
const moves = () =>
  ec2Mock.commandCalls(ModifyNetworkInterfaceAttributeCommand).map((call) => call.args[0].input.Groups);

beforeEach(() => {
  ec2Mock.on(DescribeSecurityGroupsCommand).callsFake((input: DescribeSecurityGroupsCommandInput) => ({
    SecurityGroups: [GROUPS[nameAsked(input)]],
  }));
  ec2Mock.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });
  ec2Mock.on(DescribeSecurityGroupRulesCommand).resolves({
    SecurityGroupRules: [
      { SecurityGroupRuleId: 'sgr-in', GroupId: 'sg-0allopen', IsEgress: false, IpProtocol: '-1' },
      { SecurityGroupRuleId: 'sgr-out4', GroupId: 'sg-0allopen', IsEgress: true, IpProtocol: '-1' },
      { SecurityGroupRuleId: 'sgr-out6', GroupId: 'sg-0allopen', IsEgress: true, IpProtocol: '-1' },
    ],
  });
  ec2Mock.on(RevokeSecurityGroupIngressCommand).resolves({});
  ec2Mock.on(RevokeSecurityGroupEgressCommand).resolves({});
});

afterEach(() => {
  ec2Mock.reset();
});

describe('isolation fails closed', () => {
  it('never opens the ENI to all traffic when the isolation group cannot be found', async () => {
    // Prepare
    ec2Mock
      .on(DescribeSecurityGroupsCommand, {
        Filters: [
          { Name: 'vpc-id', Values: ['vpc-1'] },
          { Name: 'group-name', Values: ['Isolation', 'Isolation-2', 'Isolation-3'] },
        ],
      })
      .rejects(awsError('RequestLimitExceeded'));
    ec2Mock.on(ModifyNetworkInterfaceAttributeCommand).resolves({});

    // Act
    const { records } = await isolate();

    // Assess: no move onto the all-open group; the isolation move is tried on its own (and fails: no group).
    expect(moves()).toEqual([]);
    expect(records).toContainEqual(expect.objectContaining({ action: 'moveToConnectionCutGroup', status: 'skipped' }));
    expect(isolationLeftUndone(records)).toBe(true);
  });

  it('tries the move off the all-open group once more, with the group found afresh', async () => {
    // Prepare
    ec2Mock.on(ModifyNetworkInterfaceAttributeCommand).resolves({});
    ec2Mock
      .on(ModifyNetworkInterfaceAttributeCommand, { NetworkInterfaceId: 'eni-0a', Groups: ['sg-0isolation'] })
      .rejectsOnce(awsError('RequestLimitExceeded'))
      .resolves({});

    // Act
    const { records, undo } = await isolate();

    // Assess
    expect(moves()).toEqual([['sg-0allopen'], ['sg-0isolation'], ['sg-0isolation']]);
    expect(records.filter((record) => record.status === 'failed')).toEqual([]);
    expect(undo).toEqual([expect.objectContaining({ isolationSecurityGroupId: 'sg-0isolation' })]);
    expect(ec2Mock.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
  });

  it('takes the rules of the all-open group away when the ENI cannot leave it: it ends on a group with no rule', async () => {
    // Prepare
    ec2Mock.on(ModifyNetworkInterfaceAttributeCommand).resolves({});
    ec2Mock
      .on(ModifyNetworkInterfaceAttributeCommand, { NetworkInterfaceId: 'eni-0a', Groups: ['sg-0isolation'] })
      .rejects(awsError('UnauthorizedOperation'));

    // Act
    const { records, undo } = await isolate();

    // Assess: every rule of the all-open group, by id, and of no other group.
    const revoked = [
      ...ec2Mock.commandCalls(RevokeSecurityGroupIngressCommand),
      ...ec2Mock.commandCalls(RevokeSecurityGroupEgressCommand),
    ].map((call) => [call.args[0].input.GroupId, call.args[0].input.SecurityGroupRuleIds]);
    expect(revoked).toEqual([
      ['sg-0allopen', ['sgr-in']],
      ['sg-0allopen', ['sgr-out4', 'sgr-out6']],
    ]);
    expect(records).toContainEqual(expect.objectContaining({ action: 'closeConnectionCutGroup', status: 'succeeded' }));
    expect(undo).toEqual([
      expect.objectContaining({ isolationSecurityGroupId: 'sg-0allopen', previousSecurityGroupIds: ['sg-0app'] }),
    ]);
    expect(stepTookEffect(records)).toBe(true);
    expect(isolationLeftUndone(records)).toBe(false);
  });

  it('says the isolation was left undone when the fallback fails too', async () => {
    // Prepare
    ec2Mock.on(ModifyNetworkInterfaceAttributeCommand).resolves({});
    ec2Mock
      .on(ModifyNetworkInterfaceAttributeCommand, { NetworkInterfaceId: 'eni-0a', Groups: ['sg-0isolation'] })
      .rejects(awsError('UnauthorizedOperation'));
    ec2Mock.on(RevokeSecurityGroupIngressCommand).rejects(awsError('UnauthorizedOperation'));

    // Act
    const { records, undo } = await isolate();

    // Assess
    expect(records).toContainEqual(expect.objectContaining({ action: 'closeConnectionCutGroup', status: 'failed' }));
    expect(undo).toEqual([]);
    expect(stepTookEffect(records)).toBe(false);
    expect(isolationLeftUndone(records)).toBe(true);
  });
});
