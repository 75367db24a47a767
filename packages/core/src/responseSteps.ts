/**
 * The response steps and the AWS actions each one calls: one registry, many consumers.
 * The responder runs these steps; the member role's policy and the central function's policy are
 * generated from the same lists; a test records the actions the engine really calls against the
 * emulator and checks they equal what the roles grant (no action missing, none extra).
 *
 * Adding a step: a file in packages/responder/src/steps, plus one entry here.
 */
export const MEMBER_ACCOUNT_STEPS = {
  /** Reads the instance: its ENIs and their VPCs, state, Auto Scaling group tag. */
  inspectInstance: {
    description: 'Read the instance, its network interfaces and its Auto Scaling group tag',
    iamActions: ['ec2:DescribeInstances'],
  },
  /** Moves every ENI of the instance onto a no-rule isolation group of its VPC. */
  isolateNetworkInterfaces: {
    description: 'Move every network interface onto the isolation security group of its VPC',
    iamActions: [
      'ec2:DescribeSecurityGroups',
      'ec2:CreateSecurityGroup',
      'ec2:CreateTags',
      'ec2:RevokeSecurityGroupEgress',
      'ec2:ModifyNetworkInterfaceAttribute',
    ],
  },
  /** Takes the instance out of its Auto Scaling group (so the group cannot terminate it), then scales the group to 0. */
  disableAutoScalingGroup: {
    description: 'Detach the instance from its Auto Scaling group, then set the group to 0/0/0',
    iamActions: [
      'autoscaling:DescribeAutoScalingGroups',
      'autoscaling:DetachInstances',
      'autoscaling:UpdateAutoScalingGroup',
    ],
  },
  stopInstance: {
    description: 'Stop the instance (after it has left its Auto Scaling group)',
    iamActions: ['ec2:StopInstances'],
  },
  /** Finds who launched the instance in CloudTrail. */
  attributeLaunch: {
    description: 'Find the RunInstances call for the instance in CloudTrail',
    iamActions: ['cloudtrail:LookupEvents'],
  },
  freezeUser: {
    description: 'Delete the login profile, deactivate every access key and attach a deny-all inline policy',
    iamActions: ['iam:DeleteLoginProfile', 'iam:ListAccessKeys', 'iam:UpdateAccessKey', 'iam:PutUserPolicy'],
  },
  freezeRole: {
    description: 'Replace the trust policy with an explicit deny and revoke the sessions already issued',
    iamActions: ['iam:GetRole', 'iam:UpdateAssumeRolePolicy', 'iam:PutRolePolicy'],
  },
} as const satisfies Record<string, StepDefinition>;

/** What the central function does in its own (delegated-admin) account. */
export const CENTRAL_ACCOUNT_STEPS = {
  verifyOrganizationMembership: {
    description: 'Check that the affected account is an ACTIVE member of the organization',
    iamActions: ['organizations:DescribeAccount'],
  },
  assumeResponderRole: {
    description: 'Assume the responder role in the affected account',
    iamActions: ['sts:AssumeRole'],
  },
  writeReport: {
    description: 'Write the incident report to the central bucket',
    iamActions: ['s3:PutObject'],
  },
  /** Only when ALERT_TOPIC_ARN is set. */
  publishAlert: {
    description: 'Publish a one-paragraph summary of the incident to the alert topic',
    iamActions: ['sns:Publish'],
  },
} as const satisfies Record<string, StepDefinition>;

export interface StepDefinition {
  readonly description: string;
  readonly iamActions: readonly string[];
}

export type MemberAccountStepName = keyof typeof MEMBER_ACCOUNT_STEPS;
export type CentralAccountStepName = keyof typeof CENTRAL_ACCOUNT_STEPS;
export type StepName = MemberAccountStepName | CentralAccountStepName;

function uniqueSorted(actions: Iterable<string>): string[] {
  return [...new Set(actions)].sort();
}

/** Every action the responder calls in a member account: exactly what the member role grants. */
export function memberAccountActions(): string[] {
  return uniqueSorted(Object.values(MEMBER_ACCOUNT_STEPS).flatMap((step) => step.iamActions));
}

/** Every action the central function calls in its own account. */
export function centralAccountActions(): string[] {
  return uniqueSorted(Object.values(CENTRAL_ACCOUNT_STEPS).flatMap((step) => step.iamActions));
}
