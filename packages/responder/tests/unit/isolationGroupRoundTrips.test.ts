import {
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  RevokeSecurityGroupEgressCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { findOrCreateIsolationGroup, ISOLATION_GROUP_TAG } from '../../src/steps/findOrCreateIsolationGroup';

const ec2Mock = mockClient(EC2Client);

afterEach(() => {
  ec2Mock.reset();
});

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
