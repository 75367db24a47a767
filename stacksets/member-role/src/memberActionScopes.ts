import { Aws } from 'aws-cdk-lib';

/**
 * Where each engine action may act, in a member account: resources and, where IAM offers one, a condition.
 * The actions themselves come from core's registry (memberAccountActions()); this table only narrows them.
 * Every action of the registry must appear here, or synthesis fails (UnscopedActionError).
 */
export interface ActionScope {
  /** The policy statement's Sid: statements are grouped by scope. */
  readonly sid: string;
  readonly resources: () => string[];
  readonly conditions?: () => Record<string, Record<string, string | string[]>>;
  /** Why the scope is as wide as it is: read by people reviewing the role. */
  readonly reason: string;
  /** Whether the writes in this scope must also be denied on protected roles. */
  readonly denyOnProtectedRoles?: boolean;
}

function ec2Arn(resource: string): string {
  return `arn:${Aws.PARTITION}:ec2:*:${Aws.ACCOUNT_ID}:${resource}`;
}

const readOnlyWithoutResourceLevelPermissions: ActionScope = {
  sid: 'ReadWithoutResourceLevelPermissions',
  resources: () => ['*'],
  reason: 'Describe calls and cloudtrail:LookupEvents support no resource-level permissions in IAM.',
};

const createIsolationGroup: ActionScope = {
  sid: 'CreateIsolationGroupInAnyVpc',
  resources: () => [ec2Arn('vpc/*'), ec2Arn('security-group/*')],
  reason: 'An isolation group is created on demand in the VPC of the instance; VPCs are not known in advance.',
};

/**
 * The tag that marks an isolation group (the responder's ISOLATION_GROUP_TAG; a test in apps/central keeps the
 * two equal). The role may set this tag, to this value, on security groups, and no other tag anywhere.
 */
export const ISOLATION_GROUP_TAG = { key: 'cryptominer-defense:purpose', value: 'isolation' } as const;

/** The responder's incident tags (packages/responder/src/steps/preserveEvidence.ts): evidence, not configuration. */
const INCIDENT_TAG_KEYS = [
  'cryptominer-defense:incident',
  'cryptominer-defense:incident-time',
  'cryptominer-defense:instance-id',
  'cryptominer-defense:device-name',
] as const;

const tagIsolationGroupsOnly: ActionScope = {
  sid: 'TagIsolationGroups',
  resources: () => [
    ec2Arn('security-group/*'),
    ec2Arn('instance/*'),
    ec2Arn('volume/*'),
    `arn:${Aws.PARTITION}:ec2:*::snapshot/*`,
  ],
  conditions: () => ({
    StringEqualsIfExists: {
      [`aws:RequestTag/${ISOLATION_GROUP_TAG.key}`]: [ISOLATION_GROUP_TAG.value, 'connection-cut'],
    },
    'ForAllValues:StringEquals': { 'aws:TagKeys': [ISOLATION_GROUP_TAG.key, ...INCIDENT_TAG_KEYS] },
  }),
  reason:
    'Tags mark the isolation and all-open groups, and tie the instance, its volumes and snapshots to the finding; only those keys.',
};

const connectionCutGroupRules: ActionScope = {
  sid: 'OpenConnectionCutGroups',
  resources: () => [ec2Arn('security-group/*')],
  reason:
    'The all-open group an ENI passes through (so its connections become untracked and end) gets all-traffic rules (domain.md §2).',
};

const keepEvidence: ActionScope = {
  sid: 'KeepEvidence',
  resources: () => [ec2Arn('instance/*')],
  reason:
    'Termination protection on and DeleteOnTermination off, on any instance of the account that can be compromised.',
};

const snapshotVolumes: ActionScope = {
  sid: 'SnapshotVolumes',
  resources: () => [ec2Arn('volume/*'), `arn:${Aws.PARTITION}:ec2:*::snapshot/*`],
  reason: 'Every EBS volume of the compromised instance is snapshotted as evidence; volumes are not known in advance.',
};

const securityGroupRules: ActionScope = {
  sid: 'RevokeEgressOfSecurityGroups',
  resources: () => [ec2Arn('security-group/*')],
  reason: 'The default allow-all egress rule of a new isolation group is revoked (domain.md §2).',
};

const networkInterfaceGroups: ActionScope = {
  sid: 'MoveNetworkInterfacesOntoIsolationGroups',
  resources: () => [
    ec2Arn('network-interface/*'),
    ec2Arn('security-group/*'),
    ec2Arn('instance/*'),
    ec2Arn('vpc/*'),
    ec2Arn('subnet/*'),
  ],
  reason: 'Any network interface of the account can belong to a compromised instance.',
};

const stopInstances: ActionScope = {
  sid: 'StopInstances',
  resources: () => [ec2Arn('instance/*')],
  reason: 'Any instance of the account can be the compromised one.',
};

const autoScalingGroups: ActionScope = {
  sid: 'DetachAndScaleDownAutoScalingGroups',
  resources: () => [`arn:${Aws.PARTITION}:autoscaling:*:${Aws.ACCOUNT_ID}:autoScalingGroup:*:autoScalingGroupName/*`],
  reason: 'Any Auto Scaling group of the account can hold a compromised instance.',
};

const iamUsers: ActionScope = {
  sid: 'FreezeUsers',
  resources: () => [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:user/*`],
  reason: 'Any IAM user of the account can have launched the instance.',
};

const iamRoles: ActionScope = {
  sid: 'FreezeRoles',
  resources: () => [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/*`],
  reason: 'Any role of the account can have launched the instance; protected roles are denied separately.',
  denyOnProtectedRoles: true,
};

/** The scope of every action the engine calls in a member account, keyed by action. */
export const MEMBER_ACTION_SCOPES: Readonly<Record<string, ActionScope>> = {
  'ec2:DescribeInstances': readOnlyWithoutResourceLevelPermissions,
  'ec2:DescribeSecurityGroups': readOnlyWithoutResourceLevelPermissions,
  'ec2:DescribeInstanceAttribute': readOnlyWithoutResourceLevelPermissions,
  'ec2:DescribeSnapshots': readOnlyWithoutResourceLevelPermissions,
  'ec2:AuthorizeSecurityGroupIngress': connectionCutGroupRules,
  'ec2:AuthorizeSecurityGroupEgress': connectionCutGroupRules,
  'ec2:ModifyInstanceAttribute': keepEvidence,
  'ec2:CreateSnapshot': snapshotVolumes,
  'autoscaling:DescribeAutoScalingGroups': readOnlyWithoutResourceLevelPermissions,
  'cloudtrail:LookupEvents': readOnlyWithoutResourceLevelPermissions,
  'ec2:CreateSecurityGroup': createIsolationGroup,
  'ec2:CreateTags': tagIsolationGroupsOnly,
  'ec2:RevokeSecurityGroupEgress': securityGroupRules,
  'ec2:ModifyNetworkInterfaceAttribute': networkInterfaceGroups,
  'ec2:StopInstances': stopInstances,
  'autoscaling:DetachInstances': autoScalingGroups,
  'autoscaling:UpdateAutoScalingGroup': autoScalingGroups,
  'iam:DeleteLoginProfile': iamUsers,
  'iam:ListAccessKeys': iamUsers,
  'iam:UpdateAccessKey': iamUsers,
  'iam:PutUserPolicy': iamUsers,
  'iam:GetRole': iamRoles,
  'iam:UpdateAssumeRolePolicy': iamRoles,
  'iam:PutRolePolicy': iamRoles,
};
