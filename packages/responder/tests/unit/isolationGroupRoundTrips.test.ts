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
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { findOrCreateConnectionCutGroup } from '../../src/steps/findOrCreateConnectionCutGroup';
import { findOrCreateIsolationGroup, ISOLATION_GROUP_TAG } from '../../src/steps/findOrCreateIsolationGroup';
import { isolateNetworkInterfaces } from '../../src/steps/isolateNetworkInterfaces';

const ec2Mock = mockClient(EC2Client);

afterEach(() => {
  ec2Mock.reset();
});

/** A promise and the function that resolves it: a mocked call can wait until another one has been made. */
function signal(): { readonly reached: Promise<void>; readonly reach: () => void } {
  let reach: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => {
    reach = resolve;
  });
  return { reached, reach };
}

const groupNameFilter = (input: DescribeSecurityGroupsCommandInput) =>
  input.Filters?.find((filter) => filter.Name === 'group-name')?.Values?.[0];

describe('findOrCreateIsolationGroup on the first finding of a VPC (pnpm bench: the cold path)', () => {
  it('empties and tags the new group at once: the revocation is still unanswered when the tag is asked for', async () => {
    // Prepare: the group does not exist, then reads back as created (default egress rule, no tag). The
    // revocation answers only once the tag has been asked for: done one after the other, this never ends.
    const created = {
      GroupId: 'sg-0123456789abcdef0',
      GroupName: 'CryptominerIsolationGroup',
      IpPermissions: [],
      IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      Tags: [],
    };
    ec2Mock
      .on(DescribeSecurityGroupsCommand)
      .resolvesOnce({ SecurityGroups: [] })
      .resolves({ SecurityGroups: [created] });
    ec2Mock.on(CreateSecurityGroupCommand).resolves({ GroupId: created.GroupId });
    let tagAsked: () => void = () => undefined;
    const tagRequested = new Promise<void>((resolve) => {
      tagAsked = resolve;
    });
    ec2Mock.on(CreateTagsCommand).callsFake(() => {
      tagAsked();
      return {};
    });
    ec2Mock.on(RevokeSecurityGroupEgressCommand).callsFake(async () => {
      await tagRequested;
      return { Return: true };
    });
    const ec2 = new EC2Client({ region: 'us-east-1' });

    // Act
    const groupId = await findOrCreateIsolationGroup(ec2, 'vpc-0123456789abcdef0', 'CryptominerIsolationGroup');

    // Assess
    expect(groupId).toBe(created.GroupId);
    expect(ec2Mock.commandCalls(RevokeSecurityGroupEgressCommand)[0]?.args[0].input).toEqual({
      GroupId: created.GroupId,
      IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    });
    expect(ec2Mock.commandCalls(CreateTagsCommand)[0]?.args[0].input).toEqual({
      Resources: [created.GroupId],
      Tags: [{ ...ISOLATION_GROUP_TAG }],
    });
  });
});

describe('findOrCreateConnectionCutGroup on the first finding of a VPC', () => {
  it('opens the new group both ways and tags it at once: the inbound rule waits for the other two requests', async () => {
    // Prepare: the group reads back as created (default IPv4 egress only, no tag).
    const created: SecurityGroup = {
      GroupId: 'sg-0fedcba9876543210',
      IpPermissions: [],
      IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      Tags: [],
    };
    ec2Mock
      .on(DescribeSecurityGroupsCommand)
      .resolvesOnce({ SecurityGroups: [] })
      .resolves({ SecurityGroups: [created] });
    ec2Mock.on(CreateSecurityGroupCommand).resolves({ GroupId: created.GroupId });
    const egressAsked = signal();
    const tagAsked = signal();
    ec2Mock.on(AuthorizeSecurityGroupEgressCommand).callsFake(async () => {
      egressAsked.reach();
      return { Return: true };
    });
    ec2Mock.on(CreateTagsCommand).callsFake(async () => {
      tagAsked.reach();
      return {};
    });
    ec2Mock.on(AuthorizeSecurityGroupIngressCommand).callsFake(async () => {
      await Promise.all([egressAsked.reached, tagAsked.reached]);
      return { Return: true };
    });
    const ec2 = new EC2Client({ region: 'us-east-1' });

    // Act
    const groupId = await findOrCreateConnectionCutGroup(ec2, 'vpc-0123456789abcdef0', 'CryptominerConnectionCut');

    // Assess: IPv6 egress added (IPv4 was there), all traffic in, the tag.
    expect(groupId).toBe(created.GroupId);
    expect(ec2Mock.commandCalls(AuthorizeSecurityGroupEgressCommand)[0]?.args[0].input.IpPermissions).toEqual([
      { IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
    ]);
    expect(ec2Mock.commandCalls(AuthorizeSecurityGroupIngressCommand)[0]?.args[0].input.IpPermissions).toEqual([
      { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
    ]);
    expect(ec2Mock.commandCalls(CreateTagsCommand)).toHaveLength(1);
  });
});

describe('isolateNetworkInterfaces in a VPC seen for the first time', () => {
  it('looks both groups up at once: the isolation group is found only once the all-open one was asked for', async () => {
    // Prepare: both groups exist, ready; the look-up of the isolation group answers only after the look-up
    // of the all-open group has been made.
    const isolation: SecurityGroup = {
      GroupId: 'sg-0isolation',
      IpPermissions: [],
      IpPermissionsEgress: [],
      Tags: [{ ...ISOLATION_GROUP_TAG }],
    };
    const allOpen: SecurityGroup = {
      GroupId: 'sg-0allopen',
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
        { networkInterfaceId: 'eni-0123456789abcdef0', vpcId: 'vpc-0123456789abcdef0', securityGroupIds: ['sg-0app'] },
      ],
      autoScalingGroupName: null,
      tags: {},
      volumes: [],
      hibernationConfigured: false,
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
