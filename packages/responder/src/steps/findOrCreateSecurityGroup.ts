import {
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { isAwsError } from '@cryptominer-defense/core';
import { ResponderError } from '../errors';

/**
 * A security group found by name (as read from EC2), or created by this call: then it is known without
 * reading it back (no inbound rule, EC2's default egress, the tag given at creation), which saves the first
 * finding of a VPC one round trip on the way to isolation.
 */
export type FoundSecurityGroup =
  | { readonly kind: 'found'; readonly group: SecurityGroup; readonly groupId: string }
  | { readonly kind: 'created'; readonly groupId: string };

export async function describeSecurityGroupByName(
  ec2: EC2Client,
  vpcId: string,
  groupName: string,
): Promise<SecurityGroup | undefined> {
  const response = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'group-name', Values: [groupName] },
      ],
    }),
  );
  return response.SecurityGroups?.[0];
}

async function found(ec2: EC2Client, vpcId: string, groupName: string): Promise<FoundSecurityGroup> {
  const group = await describeSecurityGroupByName(ec2, vpcId, groupName);
  const groupId = group?.GroupId;
  if (group === undefined || groupId === undefined) {
    throw new ResponderError(`Security group ${groupName} in ${vpcId} was created but cannot be read back.`);
  }
  return { kind: 'found', group, groupId };
}

/** The group to find or create; `lookedUp`, a look-up of it already on the wire (a failed one is done again). */
export interface SecurityGroupWanted {
  readonly name: string;
  readonly description: string;
  readonly tag: { readonly Key: string; readonly Value: string };
  readonly lookedUp?: Promise<SecurityGroup | undefined> | undefined;
}

/**
 * The security group of a VPC with this name: found, or created with this description and tag (tagged in the
 * same call). Another invocation creating it at the same moment (InvalidGroup.Duplicate) is not an error: that
 * one is read and used.
 */
export async function findOrCreateSecurityGroup(
  ec2: EC2Client,
  vpcId: string,
  group: SecurityGroupWanted,
): Promise<FoundSecurityGroup> {
  const lookUp = () => describeSecurityGroupByName(ec2, vpcId, group.name);
  const existing = await (group.lookedUp === undefined ? lookUp() : group.lookedUp.catch(lookUp));
  if (existing?.GroupId !== undefined) return { kind: 'found', group: existing, groupId: existing.GroupId };
  try {
    const created = await ec2.send(
      new CreateSecurityGroupCommand({
        VpcId: vpcId,
        GroupName: group.name,
        Description: group.description,
        TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ ...group.tag }] }],
      }),
    );
    if (created.GroupId !== undefined) return { kind: 'created', groupId: created.GroupId };
  } catch (error) {
    // Another invocation created it at the same moment: use that one.
    if (!isAwsError(error, 'InvalidGroup.Duplicate')) throw error;
  }
  return found(ec2, vpcId, group.name);
}

/** Whether the group carries this tag (key and value). */
export function hasTag(group: SecurityGroup, tag: { readonly Key: string; readonly Value: string }): boolean {
  return group.Tags?.some((candidate) => candidate.Key === tag.Key && candidate.Value === tag.Value) === true;
}
