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
