import { GROUP_PURPOSES, INCIDENT_TAG_KEYS, PURPOSE_TAG_KEY } from '../incidentTags';

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

export const tagIsolationGroupsOnly: ActionScope = {
  sid: 'TagIsolationGroups',
  resources: [ec2('security-group/*'), ec2('instance/*'), ec2('volume/*'), SNAPSHOTS],
  conditions: {
    StringEqualsIfExists: {
      [`aws:RequestTag/${PURPOSE_TAG_KEY}`]: [GROUP_PURPOSES.isolation, GROUP_PURPOSES.connectionCut],
    },
    'ForAllValues:StringEquals': { 'aws:TagKeys': [PURPOSE_TAG_KEY, ...INCIDENT_TAG_KEYS] },
  },
  reason:
    'Tags mark the isolation and all-open groups, and tie the instance, its volumes and snapshots to the finding; only those keys.',
};

export const connectionCutGroupRules: ActionScope = {
  sid: 'OpenConnectionCutGroups',
  resources: [ec2('security-group/*')],
  reason:
    'The all-open group an ENI passes through (so its connections become untracked and end) gets all-traffic rules (domain.md §2).',
};

export const keepEvidence: ActionScope = {
  sid: 'KeepEvidence',
  resources: [ec2('instance/*')],
  reason:
    'Termination protection on and DeleteOnTermination off, on any instance of the account that can be compromised.',
};

export const snapshotVolumes: ActionScope = {
  sid: 'SnapshotVolumes',
  resources: [ec2('volume/*'), SNAPSHOTS],
  reason: 'Every EBS volume of the compromised instance is snapshotted as evidence; volumes are not known in advance.',
};

export const securityGroupRules: ActionScope = {
  sid: 'RevokeEgressOfSecurityGroups',
  resources: [ec2('security-group/*')],
  reason: 'The default allow-all egress rule of a new isolation group is revoked (domain.md §2).',
};

export const networkInterfaceGroups: ActionScope = {
  sid: 'MoveNetworkInterfacesOntoIsolationGroups',
  resources: [ec2('network-interface/*'), ec2('security-group/*'), ec2('instance/*'), ec2('vpc/*'), ec2('subnet/*')],
  reason: 'Any network interface of the account can belong to a compromised instance.',
};

export const stopInstances: ActionScope = {
  sid: 'StopInstances',
  resources: [ec2('instance/*')],
  reason: 'Any instance of the account can be the compromised one.',
};

export const autoScalingGroups: ActionScope = {
  sid: 'DetachAndScaleDownAutoScalingGroups',
  resources: ['arn:{partition}:autoscaling:*:{account}:autoScalingGroup:*:autoScalingGroupName/*'],
  reason: 'Any Auto Scaling group of the account can hold a compromised instance.',
};

export const iamUsers: ActionScope = {
  sid: 'FreezeUsers',
  resources: ['arn:{partition}:iam::{account}:user/*'],
  reason: 'Any IAM user of the account can have launched the instance.',
};

/** The one policy the freeze attaches: AWS's own deny-all (core's denyAllPolicyArn). */
const ONLY_DENY_ALL = { ArnEquals: { 'iam:PolicyARN': 'arn:{partition}:iam::aws:policy/AWSDenyAll' } } as const;

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
  reason: 'Whether AWSDenyAll is attached already, on any role of the account that can have launched the instance.',
};

export const attachDenyAllToRoles: ActionScope = {
  sid: 'FreezeRolesWithDenyAllOnly',
  resources: ['arn:{partition}:iam::{account}:role/*'],
  conditions: ONLY_DENY_ALL,
  reason:
    'Any role of the account can have launched the instance; only AWSDenyAll may be attached (it applies to every session of the role, live ones included); protected roles are denied separately.',
  denyOnProtectedRoles: true,
};
