import type { StepDefinition } from './stepDefinition';

/**
 * What `cli release` calls to undo a response, in the incident's account and region (one entry per kind of
 * change; packages/responder/src/release). Release is an operator action run with the operator's own
 * credentials: the responder role does NOT grant these. Give them to the role operators release with.
 * Each response step names the entries that undo it (`releasedBy`).
 */
export const RELEASE_STEPS = {
  restoreNetworkInterfaceGroups: {
    description: 'Put every isolated network interface back onto its groups from before the incident',
    iamActions: ['ec2:DescribeNetworkInterfaces', 'ec2:ModifyNetworkInterfaceAttribute'],
  },
  removeNetworkAclEntries: {
    description: 'Delete the deny entries the network ACL hard cut added, where they are still as added',
    iamActions: ['ec2:DescribeNetworkAcls', 'ec2:DeleteNetworkAclEntry'],
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
    description: "Remove the frozen user's deny-all inline policy (reports before schema 2.0)",
    iamActions: ['iam:ListUserPolicies', 'iam:DeleteUserPolicy'],
  },
  restoreTrustPolicy: {
    description: "Put the role's original trust policy back in place of the explicit deny (reports before schema 2.0)",
    iamActions: ['iam:GetRole', 'iam:UpdateAssumeRolePolicy'],
  },
  removeRevokeSessionsPolicy: {
    description: "Remove the role's AWSRevokeOlderSessions policy (reports before schema 2.0)",
    iamActions: ['iam:ListRolePolicies', 'iam:DeleteRolePolicy'],
  },
  detachUserDenyAll: {
    description: 'Detach the AWSDenyAll policy the freeze attached to the user (schema 2.0)',
    iamActions: ['iam:ListAttachedUserPolicies', 'iam:DetachUserPolicy'],
  },
  detachRoleDenyAll: {
    description: 'Detach the AWSDenyAll policy the freeze attached to the role (schema 2.0)',
    iamActions: ['iam:ListAttachedRolePolicies', 'iam:DetachRolePolicy'],
  },
  restoreStopProtection: {
    description: 'Turn stop protection (DisableApiStop) back on where the response lifted it',
    iamActions: ['ec2:DescribeInstanceAttribute', 'ec2:ModifyInstanceAttribute'],
  },
  removeInstanceCredentialDeny: {
    description:
      "Empty the role's denied-instance tag the response filled (while it still names the instance), and detach the deny policy once no slot is in use",
    iamActions: ['iam:ListRoleTags', 'iam:UntagRole', 'iam:ListAttachedRolePolicies', 'iam:DetachRolePolicy'],
  },
  restoreInstanceProfile: {
    description: 'Associate the instance profile the response disassociated again, while the instance has none',
    iamActions: ['ec2:DescribeIamInstanceProfileAssociations', 'ec2:AssociateIamInstanceProfile'],
    impliedActions: ['iam:PassRole'],
  },
  restoreInstanceMetadataOptions: {
    description:
      "Give the instance's metadata service back its options from before the incident, while it is still off",
    iamActions: ['ec2:DescribeInstances', 'ec2:ModifyInstanceMetadataOptions'],
  },
  restoreFunctionConcurrency: {
    description:
      'Give the throttled Lambda function back its reserved concurrency (or none) from before the incident, while it is still 0',
    iamActions: ['lambda:GetFunctionConcurrency', 'lambda:PutFunctionConcurrency', 'lambda:DeleteFunctionConcurrency'],
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
  /**
   * Only with --false-positive, with the operator's credentials in the central account and region (Security Hub's
   * and GuardDuty's administrator).
   */
  resolveSecurityHubFinding: {
    description: "Set the GuardDuty finding's Security Hub workflow to RESOLVED, with a note naming the release",
    iamActions: ['securityhub:BatchUpdateFindings'],
  },
  /** Only with --false-positive. */
  markGuardDutyFindingNotUseful: {
    description: 'Tell GuardDuty the finding was not useful (UpdateFindingsFeedback NOT_USEFUL)',
    iamActions: ['guardduty:UpdateFindingsFeedback'],
  },
  /** Only with --false-positive: GuardDuty stops sending it again. */
  archiveGuardDutyFinding: {
    description: 'Archive the finding in GuardDuty',
    iamActions: ['guardduty:ArchiveFindings'],
  },
  recordRelease: {
    description: 'Write the release record under releases/ (never overwriting)',
    iamActions: ['s3:PutObject'],
  },
} as const satisfies Record<string, StepDefinition>;

export type ReleaseStepName = keyof typeof RELEASE_STEPS;
