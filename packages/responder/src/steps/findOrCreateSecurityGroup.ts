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
  | { readonly kind: 'found'; readonly group: SecurityGroup; readonly groupId: string; readonly name: string }
  | { readonly kind: 'created'; readonly groupId: string; readonly name: string };

/** How many names a group may take: the configured one, then `<name>-2`, `<name>-3`. */
const NAMES_PER_GROUP = 3;

/**
 * The names a group of the tool may have in a VPC, in the order they are tried: the configured name first; the
 * others when a group of that name cannot be used (someone else's, or changed since), so that a squatted name
 * never blocks isolation.
 */
export function candidateNames(groupName: string): readonly string[] {
  return Array.from({ length: NAMES_PER_GROUP }, (_unused, index) =>
    index === 0 ? groupName : `${groupName}-${index + 1}`,
  );
}

/** The groups of the VPC that carry one of the group's candidate names, in one request. */
export async function describeCandidateGroups(
  ec2: EC2Client,
  vpcId: string,
  groupName: string,
): Promise<readonly SecurityGroup[]> {
  const response = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'group-name', Values: [...candidateNames(groupName)] },
      ],
    }),
  );
  return response.SecurityGroups ?? [];
}

/** Null when the found group can be used (after what the check itself did to it), else why not. */
export type GroupCheck = (group: SecurityGroup & { readonly GroupId: string }) => Promise<string | null>;

/** What the callers of the find-or-create of one kind of group may pass on. */
export interface GroupLookupOptions {
  /** A look-up of the candidate names already on the wire. */
  readonly lookedUp?: Promise<readonly SecurityGroup[]> | undefined;
  readonly passedOver?: SecurityGroupWanted['passedOver'];
}

/** The group to find or create; `lookedUp`, a look-up of it already on the wire (a failed one is done again). */
export interface SecurityGroupWanted {
  readonly name: string;
  readonly description: string;
  readonly tag: { readonly Key: string; readonly Value: string };
  /** Whether a found group of one of the names is usable; the tag is checked before. */
  readonly usable: GroupCheck;
  /** Told of every group of a candidate name that was passed over, and why (for the report). */
  readonly passedOver?: (group: { readonly groupId: string; readonly name: string; readonly why: string }) => void;
  readonly lookedUp?: Promise<readonly SecurityGroup[]> | undefined;
}

/**
 * The security group of a VPC under one of its candidate names: the first found that is usable (it carries the
 * purpose tag, which only the creating call can set, and passes `usable`), else created under the first name no
 * group has (tagged in the same call). Another invocation creating it at the same moment (InvalidGroup.Duplicate)
 * is not an error: that one is read and judged like any found group. When every name is taken by a group that
 * cannot be used, nothing is created and the error names each group and why.
 */
export async function findOrCreateSecurityGroup(
  ec2: EC2Client,
  vpcId: string,
  wanted: SecurityGroupWanted,
): Promise<FoundSecurityGroup> {
  const lookUp = () => describeCandidateGroups(ec2, vpcId, wanted.name);
  const existing = await (wanted.lookedUp === undefined ? lookUp() : wanted.lookedUp.catch(lookUp));
  const refusals: string[] = [];
  for (const name of candidateNames(wanted.name)) {
    const named = existing.find((group) => group.GroupName === name);
    const group: FoundSecurityGroup =
      named?.GroupId === undefined
        ? await createOrRead(ec2, vpcId, name, wanted)
        : { kind: 'found', group: named, groupId: named.GroupId, name };
    if (group.kind === 'created') return group;
    const why = await judge(group.group, group.groupId, wanted);
    if (why === null) return group;
    refusals.push(`${name} (${group.groupId}): ${why}`);
    wanted.passedOver?.({ groupId: group.groupId, name, why });
  }
  throw new ResponderError(
    `No usable security group for ${wanted.name} in ${vpcId}: ${refusals.join('; ')}. Delete or rename those groups, or configure another name.`,
  );
}

async function judge(group: SecurityGroup, groupId: string, wanted: SecurityGroupWanted): Promise<string | null> {
  // The purpose tag is set only by the call that creates the group (the member role allows nothing else).
  if (!hasTag(group, wanted.tag)) {
    return `not created by this tool (no ${wanted.tag.Key}=${wanted.tag.Value} tag): not used`;
  }
  return wanted.usable({ ...group, GroupId: groupId });
}

async function createOrRead(
  ec2: EC2Client,
  vpcId: string,
  name: string,
  wanted: SecurityGroupWanted,
): Promise<FoundSecurityGroup> {
  try {
    const created = await ec2.send(
      new CreateSecurityGroupCommand({
        VpcId: vpcId,
        GroupName: name,
        Description: wanted.description,
        TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ ...wanted.tag }] }],
      }),
    );
    if (created.GroupId !== undefined) return { kind: 'created', groupId: created.GroupId, name };
  } catch (error) {
    // Another invocation created it at the same moment: that one is read and judged.
    if (!isAwsError(error, 'InvalidGroup.Duplicate')) throw error;
  }
  const group = (await describeCandidateGroups(ec2, vpcId, wanted.name)).find((found) => found.GroupName === name);
  if (group?.GroupId === undefined) {
    throw new ResponderError(`Security group ${name} in ${vpcId} was created but cannot be read back.`);
  }
  return { kind: 'found', group, groupId: group.GroupId, name };
}

/** Whether the group carries this tag (key and value). */
export function hasTag(group: SecurityGroup, tag: { readonly Key: string; readonly Value: string }): boolean {
  return group.Tags?.some((candidate) => candidate.Key === tag.Key && candidate.Value === tag.Value) === true;
}
