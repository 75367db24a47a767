// What kills the credentials a compromised instance got from its instance profile, and only those
// (docs/decisions/0017-deny-one-instance-credentials.md): a fixed managed policy the member-role stack creates, which
// denies everything to any request whose `ec2:SourceInstanceARN` equals one of the role's "denied instance" tags.
// The responder can only attach that policy and fill a free tag slot: it writes no policy document of its own.

/** The fixed policy the member-role stack creates in every account (never attached by the stack itself). */
export const INSTANCE_CREDENTIAL_DENY_POLICY_NAME = 'CryptominerDenyCompromisedInstanceCredentials';

/**
 * How many instances of one role can be denied at once: one role tag per instance. The member role may write a slot
 * only while it is empty, so an incident never takes another incident's deny away; release empties its own slot.
 */
export const DENIED_INSTANCE_SLOT_COUNT = 10;

const DENIED_INSTANCE_TAG_PREFIX = 'cryptominer-defense:denied-instance-';

/** The role tags the deny policy reads (`cryptominer-defense:denied-instance-1` …), in slot order. */
export const DENIED_INSTANCE_TAG_KEYS: readonly string[] = Array.from(
  { length: DENIED_INSTANCE_SLOT_COUNT },
  (_, index) => `${DENIED_INSTANCE_TAG_PREFIX}${index + 1}`,
);

export function isDeniedInstanceTagKey(key: string): boolean {
  return DENIED_INSTANCE_TAG_KEYS.includes(key);
}

/** The deny policy's ARN in an account (`{partition}`/`{account}` placeholders are kept for the member role's scopes). */
export function instanceCredentialDenyPolicyArn(partition: string, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:policy/${INSTANCE_CREDENTIAL_DENY_POLICY_NAME}`;
}

/** An instance's ARN, as `ec2:SourceInstanceARN` carries it in requests signed with its role's credentials. */
export function instanceArn(partition: string, region: string, accountId: string, instanceId: string): string {
  return `arn:${partition}:ec2:${region}:${accountId}:instance/${instanceId}`;
}

/**
 * The policy document: one Deny of everything, on the condition that the request comes with the credentials of an
 * instance a slot names. A slot with no tag resolves to no value and matches nothing (IAM User Guide, "Policy
 * variables with no value"), so attached to a role with empty slots the policy changes nothing.
 */
export function instanceCredentialDenyPolicyDocument(): {
  readonly Version: '2012-10-17';
  readonly Statement: readonly Record<string, unknown>[];
} {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyCredentialsOfCompromisedInstances',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: {
          StringEquals: {
            'ec2:SourceInstanceARN': DENIED_INSTANCE_TAG_KEYS.map((key) => `\${aws:PrincipalTag/${key}}`),
          },
        },
      },
    ],
  };
}
