import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DescribeSecurityGroupsCommand,
  type DescribeSecurityGroupsCommandInput,
  EC2Client,
  ModifyNetworkInterfaceAttributeCommand,
  RevokeSecurityGroupEgressCommand,
  type RevokeSecurityGroupEgressCommandInput,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { ISOLATION_GROUP_TAG } from '@cryptominer-defense/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { findOrCreateConnectionCutGroup } from '../../src/steps/findOrCreateConnectionCutGroup';
import { findOrCreateIsolationGroup } from '../../src/steps/findOrCreateIsolationGroup';
import { isolateNetworkInterfaces } from '../../src/steps/isolateNetworkInterfaces';
import { awsError } from '../support/awsError';
import { signal } from '../support/signal';

const ec2Mock = mockClient(EC2Client);

afterEach(() => {
  ec2Mock.reset();
});

const groupNameFilter = (input: DescribeSecurityGroupsCommandInput) =>
  input.Filters?.find((filter) => filter.Name === 'group-name')?.Values?.[0];

describe('findOrCreateIsolationGroup on the first finding of a VPC (pnpm bench: the cold path)', () => {
  it('creates the group tagged, and revokes the default egress without reading the group back', async () => {
    // Prepare: the group does not exist; any read after the creation would be a round trip too many.
    ec2Mock.on(DescribeSecurityGroupsCommand).resolvesOnce({ SecurityGroups: [] });
    ec2Mock.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-0123456789abcdef0' });
    ec2Mock.on(RevokeSecurityGroupEgressCommand).resolves({ Return: true });
    const ec2 = new EC2Client({ region: 'us-east-1' });

    // Act
    const groupId = await findOrCreateIsolationGroup(ec2, 'vpc-0123456789abcdef0', 'CryptominerIsolationGroup');

    // Assess: one read (before), the creation with its tag, one revocation of every default egress rule.
    expect(groupId).toBe('sg-0123456789abcdef0');
    expect(ec2Mock.commandCalls(DescribeSecurityGroupsCommand)).toHaveLength(1);
    expect(ec2Mock.commandCalls(CreateSecurityGroupCommand)[0]?.args[0].input.TagSpecifications).toEqual([
      { ResourceType: 'security-group', Tags: [{ ...ISOLATION_GROUP_TAG }] },
    ]);
    expect(ec2Mock.commandCalls(RevokeSecurityGroupEgressCommand).map((call) => call.args[0].input)).toEqual([
      { GroupId: 'sg-0123456789abcdef0', IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] },
      { GroupId: 'sg-0123456789abcdef0', IpPermissions: [{ IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] }] },
    ]);
    expect(ec2Mock.commandCalls(CreateTagsCommand)).toHaveLength(0);
  });

  it('takes a refused IPv6 revocation as "not there" (an IPv4-only VPC outside the default one): no read', async () => {
    // Prepare: outside a default VPC, EC2 refuses a request naming a rule the group lacks.
    ec2Mock.on(DescribeSecurityGroupsCommand).resolvesOnce({ SecurityGroups: [] });
    ec2Mock.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-0123456789abcdef0' });
    ec2Mock.on(RevokeSecurityGroupEgressCommand).callsFake(async (input: RevokeSecurityGroupEgressCommandInput) => {
      if (input.IpPermissions?.[0]?.Ipv6Ranges !== undefined) throw awsError('InvalidPermission.NotFound');
      return { Return: true };
    });
    const ec2 = new EC2Client({ region: 'us-east-1' });

    // Act
    const groupId = await findOrCreateIsolationGroup(ec2, 'vpc-0123456789abcdef0', 'CryptominerIsolationGroup');

    // Assess
    expect(groupId).toBe('sg-0123456789abcdef0');
    expect(ec2Mock.commandCalls(DescribeSecurityGroupsCommand)).toHaveLength(1);
    expect(ec2Mock.commandCalls(RevokeSecurityGroupEgressCommand)).toHaveLength(2);
  });

  it('reads a new group without the IPv4 default rule (not what EC2 creates) and revokes what it really has', async () => {
    // Prepare: neither default rule is there; the group has some other egress rule.
    const otherRule = { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
    ec2Mock
      .on(DescribeSecurityGroupsCommand)
      .resolvesOnce({ SecurityGroups: [] })
      .resolves({
        SecurityGroups: [{ GroupId: 'sg-0123456789abcdef0', IpPermissions: [], IpPermissionsEgress: [otherRule] }],
      });
    ec2Mock.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-0123456789abcdef0' });
    ec2Mock
      .on(RevokeSecurityGroupEgressCommand)
      .rejectsOnce(awsError('InvalidPermission.NotFound'))
      .rejectsOnce(awsError('InvalidPermission.NotFound'))
      .resolves({ Return: true });
    const ec2 = new EC2Client({ region: 'us-east-1' });

    // Act
    await findOrCreateIsolationGroup(ec2, 'vpc-0123456789abcdef0', 'CryptominerIsolationGroup');

    // Assess: the third revocation is the rule the group has.
    expect(ec2Mock.commandCalls(RevokeSecurityGroupEgressCommand)[2]?.args[0].input.IpPermissions).toEqual([
      expect.objectContaining(otherRule),
    ]);
  });
});

describe('findOrCreateConnectionCutGroup on the first finding of a VPC', () => {
  it('creates the group tagged and opens it both ways at once, without reading it back', async () => {
    // Prepare: the group does not exist; the inbound rule answers only once the outbound one was asked for.
    ec2Mock.on(DescribeSecurityGroupsCommand).resolvesOnce({ SecurityGroups: [] });
    ec2Mock.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-0fedcba9876543210' });
    const egressAsked = signal();
    ec2Mock.on(AuthorizeSecurityGroupEgressCommand).callsFake(async () => {
      egressAsked.reach();
      // IPv6 egress is there already in a VPC with an IPv6 block: not an error.
      throw awsError('InvalidPermission.Duplicate');
    });
    ec2Mock.on(AuthorizeSecurityGroupIngressCommand).callsFake(async () => {
      await egressAsked.reached;
      return { Return: true };
    });
    const ec2 = new EC2Client({ region: 'us-east-1' });

    // Act
    const groupId = await findOrCreateConnectionCutGroup(ec2, 'vpc-0123456789abcdef0', 'CryptominerConnectionCut');

    // Assess: IPv6 egress added (EC2 gives IPv4), all traffic in, the tag given at creation.
    expect(groupId).toBe('sg-0fedcba9876543210');
    expect(ec2Mock.commandCalls(DescribeSecurityGroupsCommand)).toHaveLength(1);
    expect(ec2Mock.commandCalls(CreateSecurityGroupCommand)[0]?.args[0].input.TagSpecifications).toEqual([
      { ResourceType: 'security-group', Tags: [{ Key: 'cryptominer-defense:purpose', Value: 'connection-cut' }] },
    ]);
    expect(ec2Mock.commandCalls(AuthorizeSecurityGroupEgressCommand)[0]?.args[0].input.IpPermissions).toEqual([
      { IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
    ]);
    expect(ec2Mock.commandCalls(AuthorizeSecurityGroupIngressCommand)[0]?.args[0].input.IpPermissions).toEqual([
      { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
    ]);
    expect(ec2Mock.commandCalls(CreateTagsCommand)).toHaveLength(0);
  });
});

describe('isolateNetworkInterfaces in a VPC seen for the first time', () => {
  it('looks both groups up at once: the isolation group is found only once the all-open one was asked for', async () => {
    // Prepare: both groups exist, ready; the look-up of the isolation group answers only after the look-up
    // of the all-open group has been made.
    const isolation: SecurityGroup = {
      GroupId: 'sg-0isolation',
      GroupName: 'CryptominerIsolationGroup',
      IpPermissions: [],
      IpPermissionsEgress: [],
      Tags: [{ ...ISOLATION_GROUP_TAG }],
    };
    const allOpen: SecurityGroup = {
      GroupId: 'sg-0allopen',
      GroupName: 'CryptominerConnectionCut',
      IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
      IpPermissionsEgress: [
        { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
      ],
      Tags: [{ Key: 'cryptominer-defense:purpose', Value: 'connection-cut' }],
    };
    const allOpenAsked = signal();
    ec2Mock.on(DescribeSecurityGroupsCommand).callsFake(async (input: DescribeSecurityGroupsCommandInput) => {
      if (groupNameFilter(input) === 'CryptominerConnectionCut') {
        allOpenAsked.reach();
        return { SecurityGroups: [allOpen] };
      }
      await allOpenAsked.reached;
      return { SecurityGroups: [isolation] };
    });
    ec2Mock.on(ModifyNetworkInterfaceAttributeCommand).resolves({});
    const ec2 = new EC2Client({ region: 'us-east-1' });
    const instance = {
      instanceId: 'i-0123456789abcdef0',
      state: 'running',
      networkInterfaces: [
        {
          networkInterfaceId: 'eni-0123456789abcdef0',
          vpcId: 'vpc-0123456789abcdef0',
          securityGroupIds: ['sg-0app'],
          subnetId: 'subnet-0123456789abcdef0',
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

    // Act
    const isolated = await isolateNetworkInterfaces(ec2, instance, {
      isolationGroupName: 'CryptominerIsolationGroup',
      connectionCutGroupName: 'CryptominerConnectionCut',
    });

    // Assess: all-open first, then the isolation group; each group looked up once.
    expect(
      ec2Mock.commandCalls(ModifyNetworkInterfaceAttributeCommand).map((call) => call.args[0].input.Groups),
    ).toEqual([['sg-0allopen'], ['sg-0isolation']]);
    expect(ec2Mock.commandCalls(DescribeSecurityGroupsCommand)).toHaveLength(2);
    expect(isolated.undo).toEqual([
      expect.objectContaining({
        isolationSecurityGroupId: 'sg-0isolation',
        connectionCutSecurityGroupId: 'sg-0allopen',
      }),
    ]);
  });
});
