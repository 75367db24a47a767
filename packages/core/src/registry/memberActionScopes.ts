import { GROUP_PURPOSES, INCIDENT_TAG_KEYS, PURPOSE_TAG_KEY } from '../incidentTags';
import { DENIED_INSTANCE_TAG_KEYS, INSTANCE_CREDENTIAL_DENY_POLICY_NAME } from '../instanceCredentialDeny';

/**
 * Where an action of the member role may act: resources and, where IAM offers one, a condition. Pure data: a
 * resource names the partition and the account as `{partition}` and `{account}`, which the member role's stack
 * replaces with `AWS::Partition` and `AWS::AccountId` (stacksets/member-role). Each step of the registry names the
 * scope of every action it calls; one action has one scope, whichever steps call it.
 */
export interface ActionScope {
  /** The policy statement's Sid: statements are grouped by scope. */
  readonly sid: string;
  readonly resources: readonly string[];
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
  /** Why the scope is as wide as it is: read by people reviewing the role, and by cdk-nag's acknowledgements. */
  readonly reason: string;
  /** Whether the writes in this scope must also be denied on protected roles. */
  readonly denyOnProtectedRoles?: boolean;
  /**
   * Further statements for the same actions, each with its own resources and conditions: an action that acts on
   * two resource types under different rules (an ENI, and the groups it may be moved onto) gets one per rule.
   */
  readonly alsoAllowed?: readonly ActionScope[];
  /**
   * Its statements go into the member role's managed policy instead of its inline one: IAM caps a role's inline
   * policies at 10,240 characters in all, and the inline policy is close to it.
   */
  readonly inManagedPolicy?: boolean;
}

const ec2 = (resource: string) => `arn:{partition}:ec2:*:{account}:${resource}`;
const SNAPSHOTS = 'arn:{partition}:ec2:*::snapshot/*';

export const readWithoutResourceLevelPermissions: ActionScope = {
  sid: 'ReadWithoutResourceLevelPermissions',
  resources: ['*'],
  reason: 'Describe calls and cloudtrail:LookupEvents support no resource-level permissions in IAM.',
};

export const createIsolationGroup: ActionScope = {
  sid: 'CreateIsolationGroupInAnyVpc',
  resources: [ec2('vpc/*'), ec2('security-group/*')],
  reason: 'An isolation group is created on demand in the VPC of the instance; VPCs are not known in advance.',
};

/** The groups this tool made: tagged with its purpose tag in the call that created them (never later). */
const OWN_GROUP_PURPOSES = [GROUP_PURPOSES.isolation, GROUP_PURPOSES.connectionCut];
const ownGroups = (purposes: readonly string[]) => ({
  StringEquals: { [`aws:ResourceTag/${PURPOSE_TAG_KEY}`]: purposes },
});

/** The purpose tag, only inside the CreateSecurityGroup call that creates the group (ec2:CreateAction). */
const tagGroupsAtCreation: ActionScope = {
  sid: 'TagOwnGroupsAtCreationOnly',
  resources: [ec2('security-group/*')],
  conditions: {
    StringEquals: {
      'ec2:CreateAction': 'CreateSecurityGroup',
      [`aws:RequestTag/${PURPOSE_TAG_KEY}`]: OWN_GROUP_PURPOSES,
    },
    'ForAllValues:StringEquals': { 'aws:TagKeys': [PURPOSE_TAG_KEY] },
  },
  reason:
    'The purpose tag that makes a group one of its own is set only by the call that creates the group: no existing group can be made its own.',
};

export const tagEvidence: ActionScope = {
  sid: 'TagEvidenceWithIncidentTags',
  resources: [ec2('instance/*'), ec2('volume/*'), SNAPSHOTS],
  conditions: { 'ForAllValues:StringEquals': { 'aws:TagKeys': [...INCIDENT_TAG_KEYS] } },
  reason:
    'The incident tags tie the instance, its volumes and snapshots to the finding; only those keys, never the purpose tag.',
  alsoAllowed: [tagGroupsAtCreation],
};

export const connectionCutGroupRules: ActionScope = {
  sid: 'OpenOwnConnectionCutGroupsOnly',
  resources: [ec2('security-group/*')],
  conditions: ownGroups([GROUP_PURPOSES.connectionCut]),
  reason:
    'Only the all-open groups it created (purpose tag connection-cut) get all-traffic rules, so that an ENI passing through ends its tracked connections (domain.md §2).',
};

export const closeConnectionCutGroups: ActionScope = {
  sid: 'CloseOwnConnectionCutGroupsOnly',
  resources: [ec2('security-group/*')],
  conditions: ownGroups([GROUP_PURPOSES.connectionCut]),
  reason:
    'When an ENI cannot leave the all-open group, that group (one it created, purpose tag connection-cut) loses its rules instead, so the ENI is never left open to all traffic.',
};

export const keepEvidence: ActionScope = {
  sid: 'KeepEvidence',
  resources: [ec2('instance/*')],
  conditions: {
    // IfExists: where EC2 leaves the key out of the request, the statement still works (the risk: docs/decisions/0012).
    StringEqualsIgnoreCaseIfExists: {
      'ec2:Attribute': ['disableApiTermination', 'disableApiStop', 'blockDeviceMapping'],
    },
  },
  reason:
    'Termination protection on, stop protection off and DeleteOnTermination off, on any instance of the account that can be compromised; no other attribute (user data, type, groups).',
};

export const snapshotVolumes: ActionScope = {
  sid: 'SnapshotVolumes',
  resources: [ec2('volume/*'), SNAPSHOTS],
  reason: 'Every EBS volume of the compromised instance is snapshotted as evidence; volumes are not known in advance.',
};

export const securityGroupRules: ActionScope = {
  sid: 'EmptyOwnGroupsOnly',
  resources: [ec2('security-group/*')],
  conditions: ownGroups(OWN_GROUP_PURPOSES),
  reason: 'Rules are taken away only from its own groups: the default egress of a new isolation group.',
};

const ontoOwnGroupsOnly: ActionScope = {
  sid: 'MoveOntoOwnGroupsOnly',
  resources: [ec2('security-group/*')],
  conditions: ownGroups(OWN_GROUP_PURPOSES),
  reason: 'An ENI may be put only onto the isolation and all-open groups this tool created.',
};

export const networkInterfaceGroups: ActionScope = {
  sid: 'MoveNetworkInterfaces',
  resources: [ec2('network-interface/*'), ec2('instance/*'), ec2('vpc/*'), ec2('subnet/*')],
  reason: 'Any network interface of the account can belong to a compromised instance; the groups are its own only.',
  alsoAllowed: [ontoOwnGroupsOnly],
};

export const networkAclEntries: ActionScope = {
  sid: 'AddNetworkAclEntries',
  resources: [ec2('network-acl/*')],
  reason:
    'The hard cut denies the compromised instance in the network ACL of its subnet, any of the account; IAM has no key for the entry it adds (docs/decisions/0013-network-acl-hard-cut.md).',
};

export const stopInstances: ActionScope = {
  sid: 'StopInstances',
  resources: [ec2('instance/*')],
  reason: 'Any instance of the account can be the compromised one.',
};

export const lambdaFunctionConcurrency: ActionScope = {
  sid: 'ThrottleLambdaFunctions',
  resources: ['arn:{partition}:lambda:*:{account}:function:*'],
  reason:
    'Any Lambda function of the account can mine; its reserved concurrency is read, then set to 0. IAM has no key for the value, so the role could also raise it (docs/decisions/0014-throttle-lambda-functions.md).',
};

const AUTO_SCALING_GROUPS = 'arn:{partition}:autoscaling:*:{account}:autoScalingGroup:*:autoScalingGroupName/*';

export const detachFromAutoScalingGroups: ActionScope = {
  sid: 'DetachFromAutoScalingGroups',
  resources: [AUTO_SCALING_GROUPS],
  reason: 'Any Auto Scaling group of the account can hold a compromised instance.',
};

export const scaleAutoScalingGroupsToZero: ActionScope = {
  sid: 'ScaleAutoScalingGroupsToZeroOnly',
  resources: [AUTO_SCALING_GROUPS],
  conditions: {
    // MinSize is always sent; MaxSize only with the final 0/0/0 (lowering the minimum first keeps the maximum).
    NumericEquals: { 'autoscaling:MinSize': '0' },
    NumericEqualsIfExists: { 'autoscaling:MaxSize': '0' },
    // Nothing but sizes: what the group launches, and where, stays as it is (a launch configuration of the account
    // with someone else's user data would launch with its instance profile).
    Null: {
      'autoscaling:LaunchConfigurationName': 'true',
      'autoscaling:ImageId': 'true',
      'autoscaling:InstanceTypes': 'true',
      'autoscaling:LaunchTemplateVersionSpecified': 'true',
      'autoscaling:VPCZoneIdentifiers': 'true',
      'autoscaling:CapacityReservationIds': 'true',
      'autoscaling:CapacityReservationResourceGroupArns': 'true',
      'autoscaling:TargetCapacityTypes': 'true',
    },
  },
  reason:
    'Sizes may only go to 0: the minimum before the detach, then 0/0/0; never a larger group, and no other setting that has a condition key (launch configuration, template, image, instance types, subnets, capacity reservations).',
};

export const iamUsers: ActionScope = {
  sid: 'FreezeUsers',
  resources: ['arn:{partition}:iam::{account}:user/*'],
  reason: 'Any IAM user of the account can have launched the instance.',
};

/** The one policy the freeze attaches: AWS's own deny-all (core's denyAllPolicyArn). */
const AWS_DENY_ALL = 'arn:{partition}:iam::aws:policy/AWSDenyAll';
const ONLY_DENY_ALL = { ArnEquals: { 'iam:PolicyARN': AWS_DENY_ALL } } as const;
/** The fixed policy that denies the credentials of the instances a role's tags name (instanceCredentialDeny.ts). */
const INSTANCE_CREDENTIAL_DENY = `arn:{partition}:iam::{account}:policy/${INSTANCE_CREDENTIAL_DENY_POLICY_NAME}`;

export const attachDenyAllToUsers: ActionScope = {
  sid: 'FreezeUsersWithDenyAllOnly',
  resources: ['arn:{partition}:iam::{account}:user/*'],
  conditions: ONLY_DENY_ALL,
  reason:
    'Any IAM user of the account can have launched the instance; the only policy that may be attached is AWSDenyAll, which can only take permissions away.',
};

export const readRoles: ActionScope = {
  sid: 'ReadRoles',
  resources: ['arn:{partition}:iam::{account}:role/*'],
  reason:
    'Which deny policies are attached already and which denied-instance tags are taken, on any role of the account that can have launched the instance or be an instance role.',
};

export const attachDenyPoliciesToRoles: ActionScope = {
  sid: 'AttachOnlyDenyPoliciesToRoles',
  resources: ['arn:{partition}:iam::{account}:role/*'],
  conditions: { ArnEquals: { 'iam:PolicyARN': [AWS_DENY_ALL, INSTANCE_CREDENTIAL_DENY] } },
  reason:
    "Only two policies may be attached, both deny-only: AWSDenyAll to freeze a role that launched the instance (every session, live ones included), and the fixed policy the stack created that denies a compromised instance's own credentials; protected roles are denied separately.",
  denyOnProtectedRoles: true,
};

export const readInstanceProfiles: ActionScope = {
  sid: 'ReadInstanceProfiles',
  resources: ['arn:{partition}:iam::{account}:instance-profile/*'],
  reason: 'The role of the compromised instance, from its instance profile (any of the account).',
};

/** One statement per slot: a slot is written only while the role has no such tag, and only with an instance's ARN. */
const deniedInstanceSlot = (key: string, index: number): ActionScope => ({
  sid: `FillEmptyDeniedInstanceSlot${index + 1}`,
  resources: ['arn:{partition}:iam::{account}:role/*'],
  conditions: {
    'ForAllValues:StringEquals': { 'aws:TagKeys': [key] },
    Null: { [`aws:ResourceTag/${key}`]: 'true' },
    StringLike: { [`aws:RequestTag/${key}`]: 'arn:{partition}:ec2:*:{account}:instance/i-*' },
  },
  reason:
    "A denied-instance tag names the instance whose credentials the fixed deny policy denies; it is written only into an empty slot (never over another incident's), with an instance ARN, and no other tag.",
  inManagedPolicy: true,
});

const [firstSlot, ...otherSlots] = DENIED_INSTANCE_TAG_KEYS.map(deniedInstanceSlot);

export const fillDeniedInstanceSlots: ActionScope = {
  ...(firstSlot as ActionScope),
  alsoAllowed: otherSlots,
  denyOnProtectedRoles: true,
};

export const disassociateInstanceProfiles: ActionScope = {
  sid: 'DisassociateInstanceProfiles',
  resources: [ec2('instance/*')],
  reason:
    'The compromised instance loses its instance profile, so it gets no fresh credentials; any instance of the account can be the compromised one.',
};

export const disableInstanceMetadata: ActionScope = {
  sid: 'TurnInstanceMetadataOffOnly',
  resources: [ec2('instance/*')],
  conditions: {
    StringEquals: { 'ec2:Attribute/HttpEndpoint': 'disabled' },
    // Nothing but the endpoint: tokens, hop limit and tags stay as they are.
    Null: {
      'ec2:Attribute/HttpTokens': 'true',
      'ec2:Attribute/HttpPutResponseHopLimit': 'true',
      'ec2:Attribute/InstanceMetadataTags': 'true',
    },
  },
  reason:
    'The metadata service of the compromised instance is turned off (no credentials, no user data to read); it can never be turned on, and no other option changed.',
};
