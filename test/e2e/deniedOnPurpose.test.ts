import { synthesizeTemplates } from '@cryptominer-defense/central';
import {
  AWS_OWN_REFUSAL,
  type NamedPolicy,
  type PolicyRequest,
  type RequestContext,
} from '@cryptominer-defense/testing/iam';
import { describe, expect, it } from 'vitest';
import { deployedPolicies } from './support/deployedPolicies';

// What must never be possible, each request evaluated against the synthesized policies as deployed. A table row
// names the statement that must refuse it (an explicit Deny's Sid, or the policy that allows nothing of it).
const ORGANIZATION_ID = 'o-a1b2c3d4e5';
const CENTRAL = '111111111111';
const MEMBER = '222222222222';
const MANAGEMENT = '333333333333';
const OUTSIDE = '999999999999';
const HOME = 'us-east-1';
const REPORT_BUCKET = 'central-incident-reports';

const templates = synthesizeTemplates({ homeRegion: HOME, forwardedRegions: ['eu-west-1'], account: undefined });
const deployed = deployedPolicies(templates, {
  organizationId: ORGANIZATION_ID,
  managementAccountId: MANAGEMENT,
  centralAccountId: CENTRAL,
  memberAccountIds: [MEMBER],
  homeRegion: HOME,
  reportBucket: REPORT_BUCKET,
});

/** Whatever a principal's own account could grant it: the resource side must refuse on its own. */
const ADMINISTRATOR: readonly NamedPolicy[] = [
  { name: 'AdministratorAccess', policy: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
];
const memberRole = deployed.memberRoleArn(MEMBER);
const centralAdministrator = `arn:aws:iam::${CENTRAL}:role/SecurityAdministrator`;
const report = `${deployed.reportBucketArn}/incidents/${MEMBER}/${HOME}/2026/12/02/i-0123456789abcdef0-1.json`;
const memberRoleSid = 'CryptominerResponse#NeverRewriteProtectedRoles';
const pauseSwitch = `${deployed.reportBucketArn}/responder-state/pause.json`;
const containmentSlot = `${deployed.reportBucketArn}/responder-state/quota/account/${MEMBER}/2026-12-02T13/slot-0001.json`;
const instanceClaim = `${deployed.reportBucketArn}/responder-state/instances/${MEMBER}/${HOME}/i-0123456789abcdef0.json`;
const releaseRecord = `${deployed.reportBucketArn}/releases/${MEMBER}/${HOME}/2026/12/02/i-0123456789abcdef0-1/1-abcd.json`;
const approvalDecision = `${deployed.reportBucketArn}/approvals/${MEMBER}/${HOME}/2026/12/02/i-0123456789abcdef0-1/decision.json`;
const breakGlass = `arn:aws:iam::${CENTRAL}:role/CryptominerEvidenceBreakGlass`;
const releaseOperator = `arn:aws:iam::${CENTRAL}:role/CryptominerReleaseOperator`;
const forwarderRole = `arn:aws:iam::${CENTRAL}:role/CryptominerFindingForwarder-eu-west-1`;
const evidenceSid = '#OnlyTheBreakGlassRoleDeletesOrChangesTheEvidenceRules';
/** How the responder writes a report: once, with the incident key. */
const writeOnce = (keyArn: string) => ({
  's3:if-none-match': '*',
  's3:x-amz-server-side-encryption': 'aws:kms',
  's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn,
});

interface DeniedCase {
  readonly what: string;
  readonly request: PolicyRequest;
  /** The deciding statement: `<policy name>#<Sid>` or `<policy name>: no statement allows it`, by its end. */
  readonly refusedBy: string;
  /**
   * For a request refused because a condition of an allowing statement is not met (an implicit deny names no
   * statement): the context that meets it, and the statement that then allows the same request, by its end. The
   * row is then refused by that condition, not by a missing grant or a wrong resource. With `resource`, the same
   * request on that resource instead (the condition met is the resource's account).
   */
  readonly allowedWith?: { readonly context?: RequestContext; readonly resource?: string; readonly by: string };
}

const protectedRoles = [
  'aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
  // The same name outside /aws-reserved/ (where AWS itself refuses any change: the row below).
  'AWSReservedSSO_Admin_0123456789abcdef',
  'CryptominerResponderRole',
  'OrganizationAccountAccessRole',
  'AWSControlTowerExecution',
  'stacksets-exec-0123456789abcdef0123456789abcdef',
  'AWSCloudFormationStackSetExecutionRole',
];

/** The freeze's one request on a role: AWSDenyAll attached (decision 0011). */
const DENY_ALL_ARN = 'arn:aws:iam::aws:policy/AWSDenyAll';
const ADMINISTRATOR_ACCESS_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const ordinaryRole = `arn:aws:iam::${MEMBER}:role/AppDeployRole`;
const ordinaryUser = `arn:aws:iam::${MEMBER}:user/developer`;
const MEMBER_ROLE_GRANTS_NOTHING = 'identity: no statement allows it';

// Deny-only EC2 and Auto Scaling powers (decision 0012): each row carries the condition keys the real request
// carries (the group's tags as aws:ResourceTag and ec2:ResourceTag, the tags of a CreateTags as aws:RequestTag and
// aws:TagKeys, the attribute of a ModifyInstanceAttribute as ec2:Attribute, the sizes of an UpdateAutoScalingGroup as
// autoscaling:MinSize and autoscaling:MaxSize), and the context that would allow the same request.
const PURPOSE = 'cryptominer-defense:purpose';
const INCIDENT = 'cryptominer-defense:incident';
const memberEc2 = (resource: string) => `arn:aws:ec2:${HOME}:${MEMBER}:${resource}`;
const instance = memberEc2('instance/i-0123456789abcdef0');
const volume = memberEc2('volume/vol-0123456789abcdef0');
const group = memberEc2('security-group/sg-0123456789abcdef0');
const autoScalingGroup = `arn:aws:autoscaling:${HOME}:${MEMBER}:autoScalingGroup:00000000-0000-0000-0000-000000000000:autoScalingGroupName/workers`;
/** The tags of an existing group, as a request on it carries them. */
const taggedWith = (tags: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(tags).flatMap(([key, value]) => [
      [`aws:ResourceTag/${key}`, value],
      [`ec2:ResourceTag/${key}`, value],
    ]),
  );
/** The tags a CreateTags (or a TagSpecifications) sets, as its request carries them. */
const tagging = (tags: Readonly<Record<string, string>>): Record<string, string | string[]> => ({
  ...Object.fromEntries(Object.entries(tags).map(([key, value]) => [`aws:RequestTag/${key}`, value])),
  'aws:TagKeys': Object.keys(tags),
});
const CONNECTION_CUT = taggedWith({ [PURPOSE]: 'connection-cut' });
const ISOLATION = taggedWith({ [PURPOSE]: 'isolation' });
const FOREIGN_GROUPS: readonly (readonly [string, Record<string, string>])[] = [
  ['an untagged group', {}],
  ['a group of the workload (Name tag only)', taggedWith({ Name: 'web' })],
  ['its own isolation group (not a connection-cut group)', ISOLATION],
  ['a group tagged with another purpose value', taggedWith({ [PURPOSE]: 'Connection-Cut ' })],
];

const ec2AndAutoScalingCases: readonly DeniedCase[] = [
  ...(['ec2:AuthorizeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupEgress'] as const).flatMap((action) =>
    FOREIGN_GROUPS.map(
      ([which, tags]): DeniedCase => ({
        what: `opening ${which} (${action})`,
        request: { principal: memberRole, action, resource: group, context: tags },
        refusedBy: MEMBER_ROLE_GRANTS_NOTHING,
        allowedWith: { context: CONNECTION_CUT, by: '#OpenOwnConnectionCutGroupsOnly' },
      }),
    ),
  ),
  ...FOREIGN_GROUPS.slice(0, 2).map(
    ([which, tags]): DeniedCase => ({
      what: `moving an ENI onto ${which} (ec2:ModifyNetworkInterfaceAttribute on the group)`,
      request: { principal: memberRole, action: 'ec2:ModifyNetworkInterfaceAttribute', resource: group, context: tags },
      refusedBy: MEMBER_ROLE_GRANTS_NOTHING,
      allowedWith: { context: ISOLATION, by: '#MoveOntoOwnGroupsOnly' },
    }),
  ),
  ...FOREIGN_GROUPS.slice(0, 2).map(
    ([which, tags]): DeniedCase => ({
      what: `revoking the egress rules of ${which} (ec2:RevokeSecurityGroupEgress)`,
      request: { principal: memberRole, action: 'ec2:RevokeSecurityGroupEgress', resource: group, context: tags },
      refusedBy: MEMBER_ROLE_GRANTS_NOTHING,
      allowedWith: { context: ISOLATION, by: '#EmptyOwnGroupsOnly' },
    }),
  ),
  // The fallback of a failed isolation empties its own all-open group (closeConnectionCutGroup.ts), that group only.
  ...[...FOREIGN_GROUPS.slice(0, 2), ['an isolation group', ISOLATION] as const].map(
    ([which, tags]): DeniedCase => ({
      what: `revoking the ingress rules of ${which} (ec2:RevokeSecurityGroupIngress)`,
      request: { principal: memberRole, action: 'ec2:RevokeSecurityGroupIngress', resource: group, context: tags },
      refusedBy: MEMBER_ROLE_GRANTS_NOTHING,
      allowedWith: { context: CONNECTION_CUT, by: '#CloseOwnConnectionCutGroupsOnly' },
    }),
  ),
  ...(['connection-cut', 'isolation'] as const).map(
    (purpose): DeniedCase => ({
      what: `making an existing group its own: the purpose tag ${purpose} by CreateTags (no ec2:CreateAction)`,
      request: {
        principal: memberRole,
        action: 'ec2:CreateTags',
        resource: group,
        context: tagging({ [PURPOSE]: purpose }),
      },
      refusedBy: MEMBER_ROLE_GRANTS_NOTHING,
      allowedWith: {
        context: { ...tagging({ [PURPOSE]: purpose }), 'ec2:CreateAction': 'CreateSecurityGroup' },
        by: '#TagOwnGroupsAtCreationOnly',
      },
    }),
  ),
  {
    what: 'creating a group with a purpose value of its choosing (CreateTags inside CreateSecurityGroup)',
    request: {
      principal: memberRole,
      action: 'ec2:CreateTags',
      resource: group,
      context: { ...tagging({ [PURPOSE]: 'trusted' }), 'ec2:CreateAction': 'CreateSecurityGroup' },
    },
    refusedBy: MEMBER_ROLE_GRANTS_NOTHING,
    allowedWith: {
      context: { ...tagging({ [PURPOSE]: 'isolation' }), 'ec2:CreateAction': 'CreateSecurityGroup' },
      by: '#TagOwnGroupsAtCreationOnly',
    },
  },
  {
    what: 'creating a group with a tag besides the purpose tag (CreateTags inside CreateSecurityGroup)',
    request: {
      principal: memberRole,
      action: 'ec2:CreateTags',
      resource: group,
      context: {
        ...tagging({ [PURPOSE]: 'isolation', Environment: 'production' }),
        'ec2:CreateAction': 'CreateSecurityGroup',
      },
    },
    refusedBy: MEMBER_ROLE_GRANTS_NOTHING,
    allowedWith: {
      context: { ...tagging({ [PURPOSE]: 'isolation' }), 'ec2:CreateAction': 'CreateSecurityGroup' },
      by: '#TagOwnGroupsAtCreationOnly',
    },
  },
  ...(
    [
      ['an instance', instance, { Environment: 'production' }],
      ['an instance', instance, { [PURPOSE]: 'isolation' }],
      ['an instance', instance, { [INCIDENT]: 'finding-1', Environment: 'production' }],
      ['a volume', volume, { Environment: 'production' }],
      ['a snapshot', `arn:aws:ec2:${HOME}::snapshot/snap-0123456789abcdef0`, { Name: 'keep' }],
    ] as const
  ).map(
    ([which, resource, tags]): DeniedCase => ({
      what: `tagging ${which} with ${Object.keys(tags).join(' and ')} (outside the incident keys)`,
      request: { principal: memberRole, action: 'ec2:CreateTags', resource, context: tagging(tags) },
      refusedBy: MEMBER_ROLE_GRANTS_NOTHING,
      allowedWith: { context: tagging({ [INCIDENT]: 'finding-1' }), by: '#TagEvidenceWithIncidentTags' },
    }),
  ),
  ...[
    'userData',
    'instanceType',
    'instanceInitiatedShutdownBehavior',
    'groupSet',
    'sourceDestCheck',
    'kernel',
    'ramdisk',
    'enaSupport',
  ].map(
    (attribute): DeniedCase => ({
      what: `changing the ${attribute} of an instance (ec2:ModifyInstanceAttribute)`,
      request: {
        principal: memberRole,
        action: 'ec2:ModifyInstanceAttribute',
        resource: instance,
        context: { 'ec2:Attribute': attribute },
      },
      refusedBy: MEMBER_ROLE_GRANTS_NOTHING,
      allowedWith: { context: { 'ec2:Attribute': 'disableApiTermination' }, by: '#KeepEvidence' },
    }),
  ),
  {
    // Whatever ec2:Attribute says: the groups of a ModifyInstanceAttribute are authorized too, and not granted (the
    // key applies to the instance, not to the group: the simulator would ignore it here).
    what: 'moving an instance onto a group through ModifyInstanceAttribute, even its own connection-cut group',
    request: {
      principal: memberRole,
      action: 'ec2:ModifyInstanceAttribute',
      resource: group,
      context: CONNECTION_CUT,
    },
    refusedBy: MEMBER_ROLE_GRANTS_NOTHING,
  },
  ...(
    [
      ['a minimum of 1', { 'autoscaling:MinSize': '1' }],
      ['a minimum of 1 and a maximum of 0', { 'autoscaling:MinSize': '1', 'autoscaling:MaxSize': '0' }],
      ['a maximum of 3 (the minimum 0)', { 'autoscaling:MinSize': '0', 'autoscaling:MaxSize': '3' }],
      ['a maximum of 3 and no minimum', { 'autoscaling:MaxSize': '3' }],
      ['no size at all (any other setting of the group)', {}],
      [
        'another launch configuration with the minimum 0',
        { 'autoscaling:MinSize': '0', 'autoscaling:LaunchConfigurationName': 'any-launch-configuration' },
      ],
      [
        'other subnets with the minimum 0',
        { 'autoscaling:MinSize': '0', 'autoscaling:VPCZoneIdentifiers': ['subnet-0123456789abcdef0'] },
      ],
      [
        'another image with the minimum 0',
        { 'autoscaling:MinSize': '0', 'autoscaling:ImageId': 'ami-0123456789abcdef0' },
      ],
      [
        'a launch template version with the minimum 0',
        { 'autoscaling:MinSize': '0', 'autoscaling:LaunchTemplateVersionSpecified': 'true' },
      ],
      [
        'other instance types with the minimum 0',
        { 'autoscaling:MinSize': '0', 'autoscaling:InstanceTypes': ['p5.48xlarge'] },
      ],
    ] as const
  ).map(
    ([sizes, context]): DeniedCase => ({
      what: `setting ${sizes} on an Auto Scaling group (autoscaling:UpdateAutoScalingGroup)`,
      request: {
        principal: memberRole,
        action: 'autoscaling:UpdateAutoScalingGroup',
        resource: autoScalingGroup,
        context,
      },
      refusedBy: MEMBER_ROLE_GRANTS_NOTHING,
      allowedWith: {
        context: { 'autoscaling:MinSize': '0', 'autoscaling:MaxSize': '0' },
        by: '#ScaleAutoScalingGroupsToZeroOnly',
      },
    }),
  ),
  ...(
    [
      [
        'opening a connection-cut group',
        'ec2:AuthorizeSecurityGroupIngress',
        'security-group/sg-0123456789abcdef0',
        CONNECTION_CUT,
        'OpenOwnConnectionCutGroupsOnly',
      ],
      ['stopping an instance', 'ec2:StopInstances', 'instance/i-0123456789abcdef0', {}, 'StopInstances'],
      [
        'turning termination protection on',
        'ec2:ModifyInstanceAttribute',
        'instance/i-0123456789abcdef0',
        { 'ec2:Attribute': 'disableApiTermination' },
        'KeepEvidence',
      ],
    ] as const
  ).map(
    ([what, action, resource, context, allowingSid]): DeniedCase => ({
      what: `${what} in an account outside the organization (${action})`,
      request: { principal: memberRole, action, resource: `arn:aws:ec2:${HOME}:${OUTSIDE}:${resource}`, context },
      refusedBy: MEMBER_ROLE_GRANTS_NOTHING,
      allowedWith: { resource: memberEc2(resource), context, by: `#${allowingSid}` },
    }),
  ),
];

/**
 * What the member role can still do that the table would like to refuse: IAM has no key for it, or the role does not
 * use the key yet. Each is named with its risk in docs/decisions/0012-deny-only-ec2-and-auto-scaling.md and evaluated
 * Allowed here, so that a row that becomes refused moves to the table above and the record is updated.
 */
interface AcceptedCase {
  readonly what: string;
  readonly request: PolicyRequest;
  /** The allowing statement, by its end. */
  readonly allowedBy: string;
}

const newGroup = memberEc2('security-group/sg-0000000000000new0');
const accepted: readonly AcceptedCase[] = [
  {
    what: 'any desired capacity up to the maximum the group already has (no key for DesiredCapacity)',
    request: {
      principal: memberRole,
      action: 'autoscaling:UpdateAutoScalingGroup',
      resource: autoScalingGroup,
      context: { 'autoscaling:MinSize': '0' },
    },
    allowedBy: '#ScaleAutoScalingGroupsToZeroOnly',
  },
  {
    what: 'a ModifyInstanceAttribute request without ec2:Attribute (the condition is IfExists)',
    request: { principal: memberRole, action: 'ec2:ModifyInstanceAttribute', resource: instance },
    allowedBy: '#KeepEvidence',
  },
  {
    what: 'any attribute of any ENI of the account, source/destination check included (ec2:Attribute not used)',
    request: {
      principal: memberRole,
      action: 'ec2:ModifyNetworkInterfaceAttribute',
      resource: memberEc2('network-interface/eni-0123456789abcdef0'),
      context: { 'ec2:Attribute': 'sourceDestCheck' },
    },
    allowedBy: '#MoveNetworkInterfaces',
  },
  {
    what: 'stopping any instance of the account',
    request: { principal: memberRole, action: 'ec2:StopInstances', resource: instance },
    allowedBy: '#StopInstances',
  },
  {
    what: 'detaching any instance from any Auto Scaling group of the account',
    request: { principal: memberRole, action: 'autoscaling:DetachInstances', resource: autoScalingGroup },
    allowedBy: '#DetachFromAutoScalingGroups',
  },
  // A stolen session can make a group its own and expose any ENI through it: create, open, move (three calls).
  {
    what: 'creating a group in any VPC of the account',
    request: {
      principal: memberRole,
      action: 'ec2:CreateSecurityGroup',
      resource: memberEc2('vpc/vpc-0123456789abcdef0'),
    },
    allowedBy: '#CreateIsolationGroupInAnyVpc',
  },
  {
    what: 'tagging the new group connection-cut in the call that creates it',
    request: {
      principal: memberRole,
      action: 'ec2:CreateTags',
      resource: newGroup,
      context: { ...tagging({ [PURPOSE]: 'connection-cut' }), 'ec2:CreateAction': 'CreateSecurityGroup' },
    },
    allowedBy: '#TagOwnGroupsAtCreationOnly',
  },
  {
    what: 'any rule on its own connection-cut group (no key for the CIDR, the ports or the protocol of a rule)',
    request: {
      principal: memberRole,
      action: 'ec2:AuthorizeSecurityGroupIngress',
      resource: newGroup,
      context: CONNECTION_CUT,
    },
    allowedBy: '#OpenOwnConnectionCutGroupsOnly',
  },
  {
    what: 'moving any ENI of the account onto its own connection-cut group',
    request: {
      principal: memberRole,
      action: 'ec2:ModifyNetworkInterfaceAttribute',
      resource: newGroup,
      context: CONNECTION_CUT,
    },
    allowedBy: '#MoveOntoOwnGroupsOnly',
  },
];

// The instance's own credentials (decision 0017): a slot is filled only while empty, with an instance ARN; the
// metadata service can only be turned off; nothing gives an instance a role.
const SLOT = 'cryptominer-defense:denied-instance-1';
const OWN_INSTANCE_ARN = `arn:aws:ec2:${HOME}:${MEMBER}:instance/i-0123456789abcdef0`;
const fillSlot = (value: string) => ({
  'aws:TagKeys': [SLOT],
  [`aws:RequestTag/${SLOT}`]: value,
});
const instanceCredentialCases: readonly DeniedCase[] = [
  {
    what: "overwriting a denied-instance tag that names another incident's instance (its deny would go)",
    request: {
      principal: memberRole,
      action: 'iam:TagRole',
      resource: ordinaryRole,
      context: { ...fillSlot(OWN_INSTANCE_ARN), [`aws:ResourceTag/${SLOT}`]: `${OWN_INSTANCE_ARN}f` },
    },
    refusedBy: MEMBER_ROLE_GRANTS_NOTHING,
    allowedWith: { context: fillSlot(OWN_INSTANCE_ARN), by: '#FillEmptyDeniedInstanceSlot1' },
  },
  {
    what: 'a denied-instance tag with a value that is no instance of the account',
    request: {
      principal: memberRole,
      action: 'iam:TagRole',
      resource: ordinaryRole,
      context: fillSlot(`arn:aws:ec2:${HOME}:999999999999:instance/i-0123456789abcdef0`),
    },
    refusedBy: MEMBER_ROLE_GRANTS_NOTHING,
    allowedWith: { context: fillSlot(OWN_INSTANCE_ARN), by: '#FillEmptyDeniedInstanceSlot1' },
  },
  {
    what: 'any other tag on a role (tags can grant through ABAC)',
    request: {
      principal: memberRole,
      action: 'iam:TagRole',
      resource: ordinaryRole,
      context: { 'aws:TagKeys': ['team'], 'aws:RequestTag/team': 'admins' },
    },
    refusedBy: MEMBER_ROLE_GRANTS_NOTHING,
  },
  {
    what: 'a denied-instance tag on a protected role',
    request: {
      principal: memberRole,
      action: 'iam:TagRole',
      resource: `arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole`,
      context: fillSlot(OWN_INSTANCE_ARN),
    },
    refusedBy: memberRoleSid,
  },
  ...[
    'iam:UntagRole',
    'ec2:AssociateIamInstanceProfile',
    'ec2:ReplaceIamInstanceProfileAssociation',
    'iam:PassRole',
  ].map(
    (action): DeniedCase => ({
      what: `giving credentials back or a role to an instance (${action})`,
      request: {
        principal: memberRole,
        action,
        resource: action.startsWith('ec2:') ? instance : ordinaryRole,
      },
      refusedBy: MEMBER_ROLE_GRANTS_NOTHING,
    }),
  ),
  {
    what: 'turning an instance metadata service on',
    request: {
      principal: memberRole,
      action: 'ec2:ModifyInstanceMetadataOptions',
      resource: instance,
      context: { 'ec2:Attribute/HttpEndpoint': 'enabled' },
    },
    refusedBy: MEMBER_ROLE_GRANTS_NOTHING,
    allowedWith: { context: { 'ec2:Attribute/HttpEndpoint': 'disabled' }, by: '#TurnInstanceMetadataOffOnly' },
  },
  {
    what: 'turning the metadata service off while relaxing its tokens (IMDSv1 back)',
    request: {
      principal: memberRole,
      action: 'ec2:ModifyInstanceMetadataOptions',
      resource: instance,
      context: { 'ec2:Attribute/HttpEndpoint': 'disabled', 'ec2:Attribute/HttpTokens': 'optional' },
    },
    refusedBy: MEMBER_ROLE_GRANTS_NOTHING,
    allowedWith: { context: { 'ec2:Attribute/HttpEndpoint': 'disabled' }, by: '#TurnInstanceMetadataOffOnly' },
  },
];

const cases: readonly DeniedCase[] = [
  ...protectedRoles.map(
    (role): DeniedCase => ({
      what: `freezing the protected role ${role} (iam:AttachRolePolicy of AWSDenyAll)`,
      request: {
        principal: memberRole,
        action: 'iam:AttachRolePolicy',
        resource: `arn:aws:iam::${MEMBER}:role/${role}`,
        context: { 'iam:PolicyARN': DENY_ALL_ARN },
      },
      refusedBy: memberRoleSid,
    }),
  ),
  {
    what: 'freezing an IAM Identity Center role under /aws-reserved/ (iam:AttachRolePolicy of AWSDenyAll)',
    request: {
      principal: memberRole,
      action: 'iam:AttachRolePolicy',
      resource: `arn:aws:iam::${MEMBER}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef`,
      context: { 'iam:PolicyARN': DENY_ALL_ARN },
    },
    refusedBy: AWS_OWN_REFUSAL,
  },
  // Deny-only powers (decision 0011): the responder can attach AWSDenyAll and nothing else, and writes no document.
  ...[
    ['attaching AdministratorAccess to a role', 'iam:AttachRolePolicy', ordinaryRole, '#AttachOnlyDenyPoliciesToRoles'],
    ['attaching AdministratorAccess to a user', 'iam:AttachUserPolicy', ordinaryUser, '#FreezeUsersWithDenyAllOnly'],
  ].map(
    ([what, action, resource, freeze]): DeniedCase => ({
      what: `${what} (a grant, not a freeze)`,
      request: {
        principal: memberRole,
        action: action ?? '',
        resource: resource ?? '',
        context: { 'iam:PolicyARN': ADMINISTRATOR_ACCESS_ARN },
      },
      refusedBy: MEMBER_ROLE_GRANTS_NOTHING,
      allowedWith: { context: { 'iam:PolicyARN': DENY_ALL_ARN }, by: freeze ?? '' },
    }),
  ),
  ...ec2AndAutoScalingCases,
  ...instanceCredentialCases,
  ...[
    ['iam:PutUserPolicy', ordinaryUser],
    ['iam:PutRolePolicy', ordinaryRole],
    ['iam:UpdateAssumeRolePolicy', ordinaryRole],
    ['iam:PutUserPermissionsBoundary', ordinaryUser],
    ['iam:PutRolePermissionsBoundary', ordinaryRole],
    ['iam:CreatePolicyVersion', `arn:aws:iam::${MEMBER}:policy/AnyPolicy`],
  ].map(
    ([action, resource]): DeniedCase => ({
      what: `writing a policy document of its choosing (${action})`,
      request: { principal: memberRole, action: action ?? '', resource: resource ?? '' },
      refusedBy: MEMBER_ROLE_GRANTS_NOTHING,
    }),
  ),
  // The network ACL hard cut (decision 0013) only adds entries: it can neither replace nor delete another's.
  ...['ec2:ReplaceNetworkAclEntry', 'ec2:DeleteNetworkAclEntry', 'ec2:ReplaceNetworkAclAssociation'].map(
    (action): DeniedCase => ({
      what: `changing or removing network ACL entries it did not add (${action})`,
      request: {
        principal: memberRole,
        action,
        resource: `arn:aws:ec2:${HOME}:${MEMBER}:network-acl/acl-0123456789abcdef0`,
      },
      refusedBy: MEMBER_ROLE_GRANTS_NOTHING,
    }),
  ),
  {
    what: 'adding an entry to a network ACL of another account',
    request: {
      principal: memberRole,
      action: 'ec2:CreateNetworkAclEntry',
      resource: `arn:aws:ec2:${HOME}:${OUTSIDE}:network-acl/acl-0123456789abcdef0`,
    },
    refusedBy: MEMBER_ROLE_GRANTS_NOTHING,
  },
  {
    what: 'assuming the member role from another principal of the central account',
    request: {
      principal: centralAdministrator,
      action: 'sts:AssumeRole',
      resource: memberRole,
      identityPolicies: ADMINISTRATOR,
    },
    refusedBy: `trust: no statement allows it`,
  },
  {
    what: 'assuming the member role from outside the organization, with the function role name',
    request: {
      principal: `arn:aws:iam::${OUTSIDE}:role/CryptominerCentralResponder`,
      action: 'sts:AssumeRole',
      resource: memberRole,
      identityPolicies: ADMINISTRATOR,
    },
    refusedBy: `trust: no statement allows it`,
  },
  {
    what: 'writing a report without TLS',
    request: {
      principal: deployed.centralFunctionRoleArn,
      action: 's3:PutObject',
      resource: report,
      context: { 'aws:SecureTransport': 'false' },
    },
    refusedBy: 'IncidentReportsBucketPolicy027DC546#1',
  },
  {
    what: 'writing a report as any other principal of the central account',
    request: {
      principal: centralAdministrator,
      action: 's3:PutObject',
      resource: report,
      identityPolicies: ADMINISTRATOR,
    },
    refusedBy: '#OnlyTheResponderWritesReports',
  },
  {
    what: 'overwriting a report (a write without If-None-Match), even as the function',
    request: { principal: deployed.centralFunctionRoleArn, action: 's3:PutObject', resource: report },
    refusedBy: '#ReportsAreWrittenOnce',
  },
  {
    what: 'taking a slot of the blast-radius cap that may be held (a write without If-None-Match), even as the function',
    request: { principal: deployed.centralFunctionRoleArn, action: 's3:PutObject', resource: containmentSlot },
    refusedBy: '#ContainmentSlotsAreClaimedOnce',
    allowedWith: { context: writeOnce(deployed.incidentKeyArn), by: '#WriteIncidentReports' },
  },
  {
    what: "replacing another finding's claim of an instance (a write without If-None-Match), even as the function",
    request: { principal: deployed.centralFunctionRoleArn, action: 's3:PutObject', resource: instanceClaim },
    refusedBy: '#InstanceClaimsAreWrittenOnce',
    allowedWith: { context: writeOnce(deployed.incidentKeyArn), by: '#WriteIncidentReports' },
  },
  {
    what: 'writing a report without KMS (AES256)',
    request: {
      principal: deployed.centralFunctionRoleArn,
      action: 's3:PutObject',
      resource: report,
      context: { 's3:if-none-match': '*', 's3:x-amz-server-side-encryption': 'AES256' },
    },
    refusedBy: '#WritesUseKms',
  },
  {
    what: 'writing a report with another KMS key',
    request: {
      principal: deployed.centralFunctionRoleArn,
      action: 's3:PutObject',
      resource: report,
      context: writeOnce(`arn:aws:kms:${HOME}:${OUTSIDE}:key/00000000-0000-0000-0000-000000000000`),
    },
    refusedBy: '#WritesUseTheIncidentKey',
  },
  {
    what: 'writing a release record as the function (the responder cannot record a release of its own)',
    request: {
      principal: deployed.centralFunctionRoleArn,
      action: 's3:PutObject',
      resource: releaseRecord,
      context: writeOnce(deployed.incidentKeyArn),
    },
    refusedBy: '#OnlyTheReleaseOperatorWritesReleaseRecords',
  },
  // The pause switch (decision 0018): the function reads it and cannot flip it back on itself; nobody else flips it.
  {
    what: 'flipping the pause switch as the function (its role may write the rest of responder-state/)',
    request: {
      principal: deployed.centralFunctionRoleArn,
      action: 's3:PutObject',
      resource: pauseSwitch,
      context: writeOnce(deployed.incidentKeyArn),
    },
    refusedBy: '#OnlyTheReleaseOperatorFlipsThePauseSwitch',
  },
  {
    what: 'flipping the pause switch as any other principal of the central account',
    request: {
      principal: centralAdministrator,
      action: 's3:PutObject',
      resource: pauseSwitch,
      identityPolicies: ADMINISTRATOR,
    },
    refusedBy: '#OnlyTheReleaseOperatorFlipsThePauseSwitch',
  },
  {
    what: 'deleting the pause switch, even as the release operator (resume writes paused: false)',
    request: {
      principal: releaseOperator,
      action: 's3:DeleteObject',
      resource: pauseSwitch,
      identityPolicies: ADMINISTRATOR,
    },
    refusedBy: evidenceSid,
  },
  {
    what: "the release operator writing anywhere else in responder-state/ (a finding's lock or state)",
    request: {
      principal: releaseOperator,
      action: 's3:PutObject',
      resource: `${deployed.reportBucketArn}/responder-state/finding-1/state.json`,
      identityPolicies: ADMINISTRATOR,
    },
    refusedBy: '#OnlyTheResponderWritesReports',
  },
  {
    what: 'recording an approval as the function (the stop and the freeze are for a person to decide, decision 0020)',
    request: {
      principal: deployed.centralFunctionRoleArn,
      action: 's3:PutObject',
      resource: approvalDecision,
      context: writeOnce(deployed.incidentKeyArn),
    },
    refusedBy: '#OnlyTheReleaseOperatorWritesReleaseRecords',
  },
  {
    what: 'recording an approval as an administrator of the central account (not the operator role)',
    request: {
      principal: centralAdministrator,
      action: 's3:PutObject',
      resource: approvalDecision,
      context: { 's3:if-none-match': '*' },
      identityPolicies: ADMINISTRATOR,
    },
    refusedBy: '#OnlyTheReleaseOperatorWritesReleaseRecords',
  },
  {
    what: 'overwriting an approval decision (a write without If-None-Match), even as the operator role',
    request: {
      principal: releaseOperator,
      action: 's3:PutObject',
      resource: approvalDecision,
      identityPolicies: ADMINISTRATOR,
    },
    refusedBy: '#ReportsAreWrittenOnce',
  },
  ...(
    [
      ['s3:DeleteObject', report],
      ['s3:DeleteObjectVersion', report],
      ['s3:BypassGovernanceRetention', report],
      ['s3:PutObjectRetention', report],
      ['s3:PutBucketVersioning', deployed.reportBucketArn],
      ['s3:PutLifecycleConfiguration', deployed.reportBucketArn],
      ['s3:PutBucketPolicy', deployed.reportBucketArn],
      ['s3:DeleteBucketPolicy', deployed.reportBucketArn],
      ['s3:PutBucketObjectLockConfiguration', deployed.reportBucketArn],
    ] as const
  ).map(
    ([action, resource]): DeniedCase => ({
      what: `${action} by an administrator of the central account (not the break-glass role)`,
      request: { principal: centralAdministrator, action, resource, identityPolicies: ADMINISTRATOR },
      refusedBy: evidenceSid,
    }),
  ),
  {
    what: 'deleting a report as the function',
    request: { principal: deployed.centralFunctionRoleArn, action: 's3:DeleteObject', resource: report },
    refusedBy: evidenceSid,
  },
  {
    what: 'putting a message on the findings queue from outside the organization',
    request: {
      principal: `arn:aws:iam::${OUTSIDE}:role/Attacker`,
      action: 'sqs:SendMessage',
      resource: deployed.findingQueueArn,
      identityPolicies: ADMINISTRATOR,
    },
    refusedBy: '#OnlyTheFindingRulesSendMessages',
  },
  {
    what: 'putting a message on the findings queue from another principal of the central account',
    request: {
      principal: centralAdministrator,
      action: 'sqs:SendMessage',
      resource: deployed.findingQueueArn,
      identityPolicies: ADMINISTRATOR,
    },
    refusedBy: '#OnlyTheFindingRulesSendMessages',
  },
  {
    what: "putting a message on the findings queue through EventBridge from another account's rule",
    request: {
      principal: 'events.amazonaws.com',
      action: 'sqs:SendMessage',
      resource: deployed.findingQueueArn,
      context: {
        'aws:SourceArn': `arn:aws:events:${HOME}:${OUTSIDE}:rule/forward-everything`,
        'aws:SourceAccount': OUTSIDE,
      },
    },
    refusedBy: '#OnlyTheFindingRulesSendMessages',
  },
  ...(['RESOLVED', 'SUPPRESSED'] as const).map(
    (status): DeniedCase => ({
      what: `the central function setting a Security Hub workflow to ${status} (only release does, with a person's credentials)`,
      request: {
        principal: deployed.centralFunctionRoleArn,
        action: 'securityhub:BatchUpdateFindings',
        resource: `arn:aws:securityhub:${HOME}:${CENTRAL}:hub/default`,
        context: { 'securityhub:ASFFSyntaxPath/Workflow.Status': status },
      },
      refusedBy: MEMBER_ROLE_GRANTS_NOTHING,
      allowedWith: {
        context: { 'securityhub:ASFFSyntaxPath/Workflow.Status': 'NOTIFIED' },
        by: '#MarkGuardDutyFindingsNotifiedInSecurityHub',
      },
    }),
  ),
  {
    what: 'the central function importing a finding into another account (securityhub:TargetAccount)',
    request: {
      principal: deployed.centralFunctionRoleArn,
      action: 'securityhub:BatchImportFindings',
      resource: `arn:aws:securityhub:${HOME}:${CENTRAL}:product/${CENTRAL}/default`,
      context: { 'securityhub:TargetAccount': MEMBER },
    },
    refusedBy: MEMBER_ROLE_GRANTS_NOTHING,
    allowedWith: { context: { 'securityhub:TargetAccount': CENTRAL }, by: '#ImportResponsesIntoSecurityHub' },
  },
  {
    what: 'an alarm of another account publishing to the alert topic (CloudWatch as a confused deputy)',
    request: {
      principal: 'cloudwatch.amazonaws.com',
      action: 'sns:Publish',
      resource: deployed.alertTopicArn,
      context: { 'aws:SourceAccount': OUTSIDE, 'aws:SourceArn': `arn:aws:cloudwatch:${HOME}:${OUTSIDE}:alarm:any` },
    },
    refusedBy: 'AlertsTopicPolicyFF1F97BA: no statement allows it',
  },
  {
    what: 'an alarm of this account publishing to the chat topic (the alarms stay on the alert topic)',
    request: {
      principal: 'cloudwatch.amazonaws.com',
      action: 'sns:Publish',
      resource: deployed.chatAlertTopicArn,
      context: { 'aws:SourceAccount': CENTRAL, 'aws:SourceArn': `arn:aws:cloudwatch:${HOME}:${CENTRAL}:alarm:any` },
    },
    refusedBy: 'ChatAlertsTopicPolicyDCE33CA6: no statement allows it',
  },
  {
    what: 'another account publishing to the chat topic',
    request: {
      principal: `arn:aws:iam::${OUTSIDE}:role/Anyone`,
      action: 'sns:Publish',
      resource: deployed.chatAlertTopicArn,
      identityPolicies: ADMINISTRATOR,
    },
    refusedBy: 'ChatAlertsTopicPolicyDCE33CA6: no statement allows it',
  },
  {
    what: 'an alarm of another account using the incident key',
    request: {
      principal: 'cloudwatch.amazonaws.com',
      action: 'kms:GenerateDataKey',
      resource: deployed.incidentKeyArn,
      context: { 'aws:SourceAccount': OUTSIDE, 'aws:SourceArn': `arn:aws:cloudwatch:${HOME}:${OUTSIDE}:alarm:any` },
    },
    refusedBy: 'IncidentKey923A2DF4: no statement allows it',
  },
  {
    what: "EventBridge assuming a forwarder role for another account's rule",
    request: {
      principal: 'events.amazonaws.com',
      action: 'sts:AssumeRole',
      resource: forwarderRole,
      context: {
        'aws:SourceAccount': OUTSIDE,
        'aws:SourceArn': `arn:aws:events:eu-west-1:${OUTSIDE}:rule/CryptominerForwardFindings`,
      },
    },
    refusedBy: 'trust: no statement allows it',
  },
  {
    what: 'putting events on the forwarding bus from outside the organization',
    request: {
      principal: `arn:aws:iam::${OUTSIDE}:role/CryptominerFindingForwarder-eu-west-1`,
      action: 'events:PutEvents',
      resource: deployed.forwardingBusArn,
      identityPolicies: ADMINISTRATOR,
    },
    refusedBy: '#cdk-RefuseEventsFromOutsideTheOrganization',
  },
  {
    what: 'putting events on the forwarding bus from a member account of the organization',
    request: {
      principal: `arn:aws:iam::${MEMBER}:role/Workload`,
      action: 'events:PutEvents',
      resource: deployed.forwardingBusArn,
      identityPolicies: ADMINISTRATOR,
    },
    refusedBy: '#cdk-RefuseEventsFromAnyoneButTheForwarders',
  },
];

describe('denied, on purpose: what must never be possible, evaluated against the synthesized policies', () => {
  it.each(cases)('refuses $what', async ({ request, refusedBy }) => {
    // Act
    const evaluation = await deployed.evaluator.evaluateRequest(request);

    // Assess
    expect(evaluation.allowed, evaluation.summary).toBe(false);
    expect(
      evaluation.statements.some((statement) => statement.endsWith(refusedBy)),
      evaluation.summary,
    ).toBe(true);
    // A key the simulator does not know for this action would be ignored: the row would test nothing of it.
    expect(evaluation.ignoredContextKeys, evaluation.summary).toEqual([]);
  });

  it.each(cases.filter((row) => row.allowedWith !== undefined))(
    'allows the same request when its condition is met: $what (the row is refused by that condition)',
    async ({ request, allowedWith }) => {
      // Act
      const evaluation = await deployed.evaluator.evaluateRequest({
        ...request,
        resource: allowedWith?.resource ?? request.resource,
        context: allowedWith?.context,
      });

      // Assess
      expect(evaluation.allowed, evaluation.summary).toBe(true);
      expect(
        evaluation.statements.some((statement) => statement.endsWith(allowedWith?.by ?? '')),
        evaluation.summary,
      ).toBe(true);
      expect(evaluation.ignoredContextKeys, evaluation.summary).toEqual([]);
    },
  );

  it.each(accepted)('still allows, as decision 0012 accepts: $what', async ({ request, allowedBy }) => {
    // Act
    const evaluation = await deployed.evaluator.evaluateRequest(request);

    // Assess
    expect(evaluation.allowed, evaluation.summary).toBe(true);
    expect(
      evaluation.statements.some((statement) => statement.endsWith(allowedBy)),
      evaluation.summary,
    ).toBe(true);
    expect(evaluation.ignoredContextKeys, evaluation.summary).toEqual([]);
  });

  it("allows the function (and its read of the pause switch), the release operator (releases, approvals and its flip of the switch), the break-glass role, the forwarders, this account's alarms and the function's alerts what the rows refuse to others (the table is not vacuous)", async () => {
    // Act
    const assume = await deployed.evaluator.evaluateRequest({
      principal: deployed.centralFunctionRoleArn,
      action: 'sts:AssumeRole',
      resource: memberRole,
    });
    const write = await deployed.evaluator.evaluateRequest({
      principal: deployed.centralFunctionRoleArn,
      action: 's3:PutObject',
      resource: report,
      context: writeOnce(deployed.incidentKeyArn),
    });
    const recordRelease = await deployed.evaluator.evaluateRequest({
      principal: releaseOperator,
      action: 's3:PutObject',
      resource: releaseRecord,
      // cli release writes once and leaves encryption to the bucket's default (the incident key).
      context: { 's3:if-none-match': '*' },
      identityPolicies: ADMINISTRATOR,
    });
    // cli pause / cli resume: one write over the last, encryption left to the bucket's default.
    const flipPauseSwitch = await deployed.evaluator.evaluateRequest({
      principal: releaseOperator,
      action: 's3:PutObject',
      resource: pauseSwitch,
      identityPolicies: ADMINISTRATOR,
    });
    const readPauseSwitch = await deployed.evaluator.evaluateRequest({
      principal: deployed.centralFunctionRoleArn,
      action: 's3:GetObject',
      resource: pauseSwitch,
    });
    const recordApproval = await deployed.evaluator.evaluateRequest({
      principal: releaseOperator,
      action: 's3:PutObject',
      resource: approvalDecision,
      // cli approve and cli reject write once too, with the bucket's default encryption.
      context: { 's3:if-none-match': '*' },
      identityPolicies: ADMINISTRATOR,
    });
    const breakGlassDeletes = await deployed.evaluator.evaluateRequest({
      principal: breakGlass,
      action: 's3:DeleteObjectVersion',
      resource: report,
      identityPolicies: ADMINISTRATOR,
    });
    const alarm = { 'aws:SourceAccount': CENTRAL, 'aws:SourceArn': `arn:aws:cloudwatch:${HOME}:${CENTRAL}:alarm:a` };
    const alarmPublishes = await deployed.evaluator.evaluateRequest({
      principal: 'cloudwatch.amazonaws.com',
      action: 'sns:Publish',
      resource: deployed.alertTopicArn,
      context: alarm,
    });
    const publishes = (topic: string) =>
      deployed.evaluator.evaluateRequest({
        principal: deployed.centralFunctionRoleArn,
        action: 'sns:Publish',
        resource: topic,
        context: { 'aws:SecureTransport': 'true' },
      });
    const summaryPublished = await publishes(deployed.alertTopicArn);
    const chatPublished = await publishes(deployed.chatAlertTopicArn);
    const alarmEncrypts = await deployed.evaluator.evaluateRequest({
      principal: 'cloudwatch.amazonaws.com',
      action: 'kms:GenerateDataKey',
      resource: deployed.incidentKeyArn,
      context: alarm,
    });
    const forwarderAssumed = await deployed.evaluator.evaluateRequest({
      principal: 'events.amazonaws.com',
      action: 'sts:AssumeRole',
      resource: forwarderRole,
      context: {
        'aws:SourceAccount': CENTRAL,
        'aws:SourceArn': `arn:aws:events:eu-west-1:${CENTRAL}:rule/CryptominerForwardFindings`,
      },
    });
    const forward = await deployed.evaluator.evaluateRequest({
      principal: `arn:aws:iam::${CENTRAL}:role/CryptominerFindingForwarder-eu-west-1`,
      action: 'events:PutEvents',
      resource: deployed.forwardingBusArn,
    });

    // Assess
    const summaries = [
      assume,
      write,
      recordRelease,
      flipPauseSwitch,
      readPauseSwitch,
      recordApproval,
      breakGlassDeletes,
      forwarderAssumed,
      forward,
      alarmPublishes,
      alarmEncrypts,
      summaryPublished,
      chatPublished,
    ].map((evaluation) => evaluation.summary);
    expect(summaries).toEqual(summaries.map(() => expect.stringMatching(/^Allowed/)));
  });
});
