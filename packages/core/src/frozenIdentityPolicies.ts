// What a freeze leaves on an identity: the responder puts these on, release takes them off (and recognizes them).

/** The inline policy that denies the frozen user everything. */
export const DENY_ALL_POLICY_NAME = 'CryptominerDefenseDenyAll';

/** The console's name for the policy behind "Revoke active sessions" (IAM User Guide). */
export const REVOKE_OLDER_SESSIONS_POLICY_NAME = 'AWSRevokeOlderSessions';

/**
 * A trust policy cannot be empty: this one denies every way of assuming the role, to everyone.
 * The original goes into the report so that a person can put it back.
 */
export const DENY_ALL_TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'CryptominerDefenseFrozen',
      Effect: 'Deny',
      Principal: '*',
      Action: ['sts:AssumeRole', 'sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity', 'sts:TagSession'],
    },
  ],
});

/**
 * The AWS managed policy that denies every action (`*` on `*`). Since report schema 2.0 the freeze attaches it to
 * the user or role, and the member role may attach no other policy (its `iam:PolicyARN` condition): the responder
 * can take permissions away, never give one. Attached to a role, it applies to every session of the role at once,
 * those already issued included, so neither a trust rewrite nor a revoke-sessions policy is needed.
 */
export const AWS_DENY_ALL_POLICY_NAME = 'AWSDenyAll';

/** AWSDenyAll's ARN in a partition (`aws`, `aws-cn`, `aws-us-gov`). */
export function denyAllPolicyArn(partition: string): string {
  return `arn:${partition}:iam::aws:policy/${AWS_DENY_ALL_POLICY_NAME}`;
}
