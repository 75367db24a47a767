import * as z from './zodMini';

/** Who launched the instance, in the categories the response distinguishes (domain.md §4). */
export const ACTOR_TYPES = ['IAMUser', 'AssumedRole', 'Root', 'AWSService', 'Unknown'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

export interface Actor {
  readonly type: ActorType;
  /** The identity's ARN as CloudTrail records it (for a role: the assumed-role session ARN). */
  readonly arn: string | null;
  readonly sourceIp: string | null;
  readonly userAgent: string | null;
  /** The IAM principal a freeze acts on: the user's ARN, or the role's ARN with its path. */
  readonly principalArn: string | null;
  /** CloudTrail's own `userIdentity.type` (FederatedUser, IdentityCenterUser...), kept for a person to read. */
  readonly identityType: string | null;
  /** The AWS service that made the call on the identity's behalf (`invokedBy`), if any. */
  readonly invokedBy: string | null;
  readonly eventTime: string | null;
  readonly eventId: string | null;
  /** The access key the call was signed with (`userIdentity.accessKeyId`): a role session is followed by it. */
  readonly accessKeyId: string | null;
}

/** The actor when no launch record was found: nothing can be frozen, a person has to look. */
export const UNKNOWN_ACTOR: Actor = {
  type: 'Unknown',
  arn: null,
  sourceIp: null,
  userAgent: null,
  principalArn: null,
  identityType: null,
  invokedBy: null,
  eventTime: null,
  eventId: null,
  accessKeyId: null,
};

const optionalText = z.nullish(z.string());

const cloudTrailRecordSchema = z.looseObject({
  eventTime: optionalText,
  eventID: optionalText,
  sourceIPAddress: optionalText,
  userAgent: optionalText,
  userIdentity: z.nullish(
    z.looseObject({
      type: optionalText,
      arn: optionalText,
      invokedBy: optionalText,
      accessKeyId: optionalText,
      sessionContext: z.nullish(
        z.looseObject({ sessionIssuer: z.nullish(z.looseObject({ type: optionalText, arn: optionalText })) }),
      ),
    }),
  ),
});

const SERVICE_LINKED_ROLE_PATH = ':role/aws-service-role/';

/** `arn:aws:sts::111122223333:assumed-role/Name/session` → `arn:aws:iam::111122223333:role/Name` (path unknown). */
function roleArnFromSessionArn(sessionArn: string): string | null {
  const match = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(sessionArn);
  if (match === null) return null;
  const [, partition, account, roleName] = match;
  return `arn:${partition}:iam::${account}:role/${roleName}`;
}

/**
 * Classifies the identity of a CloudTrail record (one element of `Records`, or a parsed `CloudTrailEvent`).
 * Pure: anything unreadable becomes an Unknown actor rather than an error, because attribution must never
 * stop the response.
 */
export function classifyActor(record: unknown): Actor {
  const parsed = cloudTrailRecordSchema.safeParse(record);
  if (!parsed.success) return UNKNOWN_ACTOR;
  const { userIdentity } = parsed.data;
  const base = {
    arn: userIdentity?.arn ?? null,
    sourceIp: parsed.data.sourceIPAddress ?? null,
    userAgent: parsed.data.userAgent ?? null,
    identityType: userIdentity?.type ?? null,
    invokedBy: userIdentity?.invokedBy ?? null,
    eventTime: parsed.data.eventTime ?? null,
    eventId: parsed.data.eventID ?? null,
    accessKeyId: userIdentity?.accessKeyId ?? null,
  };
  switch (userIdentity?.type) {
    case 'IAMUser':
      return { ...base, type: 'IAMUser', principalArn: userIdentity.arn ?? null };
    case 'Root':
      return { ...base, type: 'Root', principalArn: userIdentity.arn ?? null };
    case 'AWSService':
      return { ...base, type: 'AWSService', principalArn: null };
    case 'AssumedRole': {
      const roleArn =
        userIdentity.sessionContext?.sessionIssuer?.arn ??
        (userIdentity.arn === null || userIdentity.arn === undefined ? null : roleArnFromSessionArn(userIdentity.arn));
      // A service-linked role acting for a service (Auto Scaling launching into its group) is not the
      // attacker: the person is whoever configured the service (domain.md §4).
      if (roleArn?.includes(SERVICE_LINKED_ROLE_PATH) === true) {
        return { ...base, type: 'AWSService', principalArn: roleArn };
      }
      return { ...base, type: 'AssumedRole', principalArn: roleArn };
    }
    default:
      return { ...base, type: 'Unknown', principalArn: null };
  }
}
