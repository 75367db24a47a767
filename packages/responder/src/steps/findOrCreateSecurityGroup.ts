import {
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { isAwsError } from '../awsErrorDetails';
import { ResponderError } from '../errors';

/** A security group found by name or created, as read back from EC2. */
export interface FoundSecurityGroup {
  group: SecurityGroup;
  groupId: string;
  /** This call created it (false when it was there already, or another invocation created it at the same moment). */
  createdHere: boolean;
}

async function describeByName(ec2: EC2Client, vpcId: string, groupName: string): Promise<SecurityGroup | undefined> {
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

/**
 * The security group of a VPC with this name: found, or created with this description and read back.
 * Another invocation creating it at the same moment (InvalidGroup.Duplicate) is not an error: that one is used.
 */
export async function findOrCreateSecurityGroup(
  ec2: EC2Client,
  vpcId: string,
  groupName: string,
  description: string,
): Promise<FoundSecurityGroup> {
  let group = await describeByName(ec2, vpcId, groupName);
  let createdHere = false;
  if (group === undefined) {
    try {
      await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: groupName, Description: description }));
      createdHere = true;
    } catch (error) {
      // Another invocation created it at the same moment: use that one.
      if (!isAwsError(error, 'InvalidGroup.Duplicate')) throw error;
    }
    group = await describeByName(ec2, vpcId, groupName);
  }
  const groupId = group?.GroupId;
  if (group === undefined || groupId === undefined) {
    throw new ResponderError(`Security group ${groupName} in ${vpcId} was created but cannot be read back.`);
  }
  return { group, groupId, createdHere };
}

/** Whether the group carries this tag (key and value). */
export function hasTag(group: SecurityGroup, tag: { readonly Key: string; readonly Value: string }): boolean {
  return group.Tags?.some((candidate) => candidate.Key === tag.Key && candidate.Value === tag.Value) === true;
}
