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
  /**
   * Per ENI: onto the all-open group of its VPC (its flows become untracked), then onto the no-rule isolation
   * group (untracked flows stop at once; a plain swap would let established connections live on, domain.md §2).
   */
  isolateNetworkInterfaces: {
    description:
      'Move every network interface onto the all-open group of its VPC, then onto the no-rule isolation group',
    iamActions: [
      'ec2:DescribeSecurityGroups',
      'ec2:CreateSecurityGroup',
      'ec2:CreateTags',
      'ec2:RevokeSecurityGroupEgress',
      'ec2:AuthorizeSecurityGroupIngress',
      'ec2:AuthorizeSecurityGroupEgress',
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
  /** Keeps the evidence before the instance is stopped: nothing here may delay network isolation. */
  preserveEvidence: {
    description:
      'Termination protection on, DeleteOnTermination off for every EBS volume, incident tags, a snapshot of every volume',
    iamActions: [
      'ec2:DescribeInstanceAttribute',
      'ec2:ModifyInstanceAttribute',
      'ec2:CreateTags',
      'ec2:DescribeSnapshots',
      'ec2:CreateSnapshot',
    ],
  },
  stopInstance: {
    description:
      'Stop the instance, or hibernate it when it was launched with hibernation (after Auto Scaling and evidence)',
    iamActions: ['ec2:StopInstances'],
  },
  /** Finds who launched the instance in CloudTrail. */
  attributeLaunch: {
    description: 'Find the RunInstances call for the instance in CloudTrail',
    iamActions: ['cloudtrail:LookupEvents'],
  },
  /** When Auto Scaling launched the instance: who created or last changed its group or launch template. */
  traceAutoScalingLaunch: {
    description:
      'Find who created or last changed the Auto Scaling group or launch template behind an Auto Scaling launch',
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
  /** Only when RESPONSE_POLICY has organizationalUnit rules; answers cached. */
  resolveOrganizationalUnits: {
    description: 'Find the OUs the affected account sits in (for the response policy)',
    iamActions: ['organizations:ListParents'],
  },
  /** The idempotency lock and ledger, under responder-state/ in the report bucket (not read by Athena). */
  claimFinding: {
    description:
      'Claim the finding with a conditional write (If-None-Match), read what earlier deliveries did, record this delivery',
    iamActions: ['s3:PutObject', 's3:GetObject', 's3:ListBucket'],
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

/**
 * What `cli release` calls to undo a response, in the incident's account and region (one entry per kind of
 * change; packages/responder/src/release). Release is an operator action run with the operator's own
 * credentials: the responder role does NOT grant these. Give them to the role operators release with.
 */
export const RELEASE_STEPS = {
  restoreNetworkInterfaceGroups: {
    description: 'Put every isolated network interface back onto its groups from before the incident',
    iamActions: ['ec2:DescribeNetworkInterfaces', 'ec2:ModifyNetworkInterfaceAttribute'],
  },
  restoreAutoScalingGroupSizes: {
    description: 'Give the Auto Scaling group back its min/max/desired from before the incident',
    iamActions: ['autoscaling:DescribeAutoScalingGroups', 'autoscaling:UpdateAutoScalingGroup'],
  },
  reactivateAccessKey: {
    description: 'Reactivate the access keys the freeze deactivated',
    iamActions: ['iam:ListAccessKeys', 'iam:UpdateAccessKey'],
  },
  removeUserDenyPolicy: {
    description: "Remove the frozen user's deny-all inline policy",
    iamActions: ['iam:ListUserPolicies', 'iam:DeleteUserPolicy'],
  },
  restoreTrustPolicy: {
    description: "Put the role's original trust policy back in place of the explicit deny",
    iamActions: ['iam:GetRole', 'iam:UpdateAssumeRolePolicy'],
  },
  removeRevokeSessionsPolicy: {
    description: "Remove the role's AWSRevokeOlderSessions policy",
    iamActions: ['iam:ListRolePolicies', 'iam:DeleteRolePolicy'],
  },
} as const satisfies Record<string, StepDefinition>;

/** What `cli release` calls in the central account: find the report, record the release beside it. */
export const RELEASE_CENTRAL_STEPS = {
  findReport: {
    description: 'Read the report, by key or by scanning the bucket for its finding id',
    iamActions: ['s3:ListBucket', 's3:GetObject'],
  },
  /** Only with --role-name. */
  assumeOperatorRole: {
    description: "Assume the operator's role in the incident's account",
    iamActions: ['sts:AssumeRole'],
  },
  recordRelease: {
    description: 'Write the release record under releases/ (never overwriting)',
    iamActions: ['s3:PutObject'],
  },
} as const satisfies Record<string, StepDefinition>;

export interface StepDefinition {
  readonly description: string;
  readonly iamActions: readonly string[];
}

export type MemberAccountStepName = keyof typeof MEMBER_ACCOUNT_STEPS;
export type CentralAccountStepName = keyof typeof CENTRAL_ACCOUNT_STEPS;
export type StepName = MemberAccountStepName | CentralAccountStepName;
export type ReleaseStepName = keyof typeof RELEASE_STEPS;

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

/** Every action `cli release` calls in the incident's account (granted to operators, not to the responder). */
export function releaseActions(): string[] {
  return uniqueSorted(Object.values(RELEASE_STEPS).flatMap((step) => step.iamActions));
}
