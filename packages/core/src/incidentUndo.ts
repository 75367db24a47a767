import * as z from 'zod';

const nullableText = z.string().nullable();

// What the response changed, as a person (or `cli release`) needs it to undo each change: the report's `undo`.

export const networkInterfaceUndo = z.object({
  networkInterfaceId: z.string(),
  vpcId: z.string(),
  /** The groups the ENI had before isolation: put these back to undo. */
  previousSecurityGroupIds: z.array(z.string()),
  isolationSecurityGroupId: z.string(),
  /** The all-open group the ENI passed through (its flows became untracked, then stopped); null if skipped. */
  connectionCutSecurityGroupId: z.string().nullable(),
});

export const volumeUndo = z.object({
  volumeId: z.string(),
  deviceName: z.string(),
});

export const evidenceUndo = z.object({
  instanceId: z.string(),
  /** Termination protection as it was before (null when it could not be read); the response turned it on. */
  previousTerminationProtection: z.boolean().nullable(),
  terminationProtectionEnabled: z.boolean(),
  /** Volumes whose DeleteOnTermination the response set to false (they were true): set them back to true. */
  volumesKeptOnTermination: z.array(volumeUndo),
  /** Resources that got the incident tags (`incidentTagKeys`): delete those tags to undo. */
  taggedResourceIds: z.array(z.string()),
  incidentTagKeys: z.array(z.string()),
});

export const stopProtectionUndo = z.object({
  instanceId: z.string(),
  /** Stop protection (DisableApiStop) as it was before; null when it could not be read. */
  previousDisableApiStop: z.boolean().nullable(),
  /** True when the response turned it off (it was on, or unknown): release turns it back on. */
  stopProtectionLifted: z.boolean(),
});

/** One deny entry the network ACL hard cut added: release deletes it if it is still there as added. */
export const networkAclEntryUndo = z.object({
  networkAclId: z.string(),
  ruleNumber: z.number().int(),
  /** True for an outbound entry, false for an inbound one. */
  egress: z.boolean(),
  /** The instance's address the entry denies: an IPv4 /32 or an IPv6 /128. */
  cidrBlock: z.string(),
  networkInterfaceId: z.string(),
});

/** The Lambda function the response throttled (reserved concurrency 0): release gives it back its setting. */
export const lambdaFunctionUndo = z.object({
  functionName: z.string(),
  functionArn: z.string(),
  /** The reserved concurrency before the response; null when there was none (release deletes the setting then). */
  previousReservedConcurrency: z.number().int().nullable(),
  /** True when the response set it to 0 (it was not 0 already): release restores it. */
  throttled: z.boolean(),
});

/** The metadata service options as DescribeInstances gave them before the response turned the endpoint off. */
export const metadataOptions = z.object({
  httpEndpoint: nullableText,
  httpTokens: nullableText,
  httpPutResponseHopLimit: z.number().int().nullable(),
  httpProtocolIpv6: nullableText,
  instanceMetadataTags: nullableText,
});

/**
 * The instance's own credentials: whose they were (the profile and its role), the role tag that denies them to this
 * instance (release empties it while it still names the instance), the association removed, the metadata options.
 */
export const instanceCredentialsUndo = z.object({
  instanceId: z.string(),
  /** The instance as `ec2:SourceInstanceARN` names it: the value of the denied-instance tag. */
  instanceArn: z.string(),
  /** Its instance profile before the response; null when it had none. */
  instanceProfileArn: nullableText,
  /** The profile's role (an instance profile holds at most one); null when unknown. */
  roleName: nullableText,
  roleArn: nullableText,
  /** The role tag the response filled with `instanceArn`; null when none was (no role, protected, no free slot). */
  deniedInstanceTagKey: nullableText,
  /** The fixed deny policy, attached to the role by this response (true) or found attached (false). */
  denyPolicyArn: nullableText,
  denyPolicyAttached: z.boolean(),
  /** The association the response removed (release associates `instanceProfileArn` again); null when none was. */
  disassociatedAssociationId: nullableText,
  /** The options before; null when the instance read gave none. */
  previousMetadataOptions: metadataOptions.nullable(),
  /** True when the response turned the endpoint off (it was on): release restores `previousMetadataOptions`. */
  metadataDisabled: z.boolean(),
});

export const autoScalingGroupUndo = z.object({
  autoScalingGroupName: z.string(),
  /** The instance was detached with decrement; attach it again (or not) when restoring. */
  detachedInstanceId: z.string().nullable(),
  previousMinSize: z.number().int(),
  previousMaxSize: z.number().int(),
  previousDesiredCapacity: z.number().int(),
});

export const userUndo = z.object({
  userArn: z.string(),
  /** A deleted password cannot be restored: create a new login profile. */
  loginProfileDeleted: z.boolean(),
  deactivatedAccessKeyIds: z.array(z.string()),
  /** Before 2.0: the inline deny-all policy to delete (null in 2.0 reports). */
  denyPolicyName: z.string().nullable(),
  /** Since 2.0: the managed deny-all policy the freeze attached (AWSDenyAll); null when it was attached already. */
  deniedByPolicyArn: z.string().nullable().optional(),
});

export const roleUndo = z.object({
  roleArn: z.string(),
  /** Before 2.0: the trust policy before the freeze, as IAM returned it (restore it with UpdateAssumeRolePolicy). */
  originalTrustPolicy: z.string().nullable(),
  trustPolicyReplaced: z.boolean(),
  /** Before 2.0: the inline policy that denies sessions issued before the freeze. */
  revokeSessionsPolicyName: z.string().nullable(),
  /** Since 2.0: the managed deny-all policy the freeze attached (AWSDenyAll); null when it was attached already. */
  deniedByPolicyArn: z.string().nullable().optional(),
});
