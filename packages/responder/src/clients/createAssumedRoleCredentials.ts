import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { ResponderError } from '../errors';

export interface AssumedRoleCredentials {
  /** The account the credentials act in (the SDK's credential identity carries it). */
  readonly accountId: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

export interface AssumedRoleOptions {
  readonly roleName: string;
  /** The session name when no finding is named (and the prefix of a finding's session name). */
  readonly roleSessionName: string;
  /** Credentials closer than this to expiry are renewed; default 5 minutes. */
  readonly expiryMarginMs?: number;
  readonly now?: () => Date;
}

/** Session names and source identities: 2 to 64 of `[\w+=,.@-]` (STS AssumeRole). */
const SESSION_NAME_CHARACTERS = /[^\w+=,.@-]/g;

/** Credentials of this many sessions are kept at most (a warm container answers many findings). */
const MAX_CACHED_SESSIONS = 64;

/**
 * The session name (and source identity) of a response to a finding: `<prefix>-<findingId>`, so that the member
 * account's CloudTrail ties every call of the response to the finding (the source identity stays on the session and
 * cannot be changed by it). Characters STS refuses become `-`; at most 64.
 */
export function findingSessionName(prefix: string, findingId: string): string {
  return `${prefix}-${findingId}`.replace(SESSION_NAME_CHARACTERS, '-').slice(0, 64);
}

/** The ARN of the responder role in an account, built with the finding's partition (aws, aws-cn, aws-us-gov). */
export function responderRoleArn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/** Whose session: the account, and the finding the response answers when there is one. */
export interface SessionTarget {
  readonly accountId: string;
  readonly partition: string;
  /** Gives the session its own name and source identity (findingSessionName). */
  readonly findingId?: string;
}

/**
 * Credentials of the responder role per account and finding, cached until shortly before they expire. A finding
 * gets a session of its own, named after it and with it as the source identity (the member role's trust allows
 * `sts:SetSourceIdentity`): member CloudTrail ties each call to a finding. The STS client is regional (the SDK's
 * default): tokens of the global endpoint are not valid in opt-in regions.
 */
export function createAssumedRoleCredentials(
  sts: STSClient,
  options: AssumedRoleOptions,
): (target: SessionTarget) => Promise<AssumedRoleCredentials> {
  const margin = options.expiryMarginMs ?? 5 * 60 * 1000;
  const now = options.now ?? (() => new Date());
  const cache = new Map<string, Promise<AssumedRoleCredentials>>();

  async function assume(
    roleArn: string,
    accountId: string,
    findingId: string | undefined,
  ): Promise<AssumedRoleCredentials> {
    const sessionName =
      findingId === undefined ? options.roleSessionName : findingSessionName(options.roleSessionName, findingId);
    const response = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: sessionName,
        ...(findingId === undefined ? {} : { SourceIdentity: sessionName }),
        DurationSeconds: 3600,
      }),
    );
    const credentials = response.Credentials;
    if (
      credentials?.AccessKeyId === undefined ||
      credentials.SecretAccessKey === undefined ||
      credentials.SessionToken === undefined
    ) {
      throw new ResponderError(`AssumeRole into ${roleArn} returned no credentials.`);
    }
    return {
      accountId,
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      expiration: credentials.Expiration ?? new Date(now().getTime() + 15 * 60 * 1000),
    };
  }

  return async (target) => {
    const roleArn = responderRoleArn(target.partition, target.accountId, options.roleName);
    const cacheKey = `${roleArn}#${target.findingId ?? ''}`;
    const cached = cache.get(cacheKey);
    if (cached !== undefined) {
      try {
        const credentials = await cached;
        if (credentials.expiration.getTime() - now().getTime() > margin) return credentials;
      } catch {
        // A failed attempt is not cached: the next call tries again.
      }
    }
    // One request in flight per account and finding, even when several steps ask at once.
    const pending = assume(roleArn, target.accountId, target.findingId);
    cache.delete(cacheKey);
    cache.set(cacheKey, pending);
    pending.catch(() => cache.delete(cacheKey));
    // The oldest sessions go first (a Map keeps insertion order).
    for (const key of cache.keys()) {
      if (cache.size <= MAX_CACHED_SESSIONS) break;
      cache.delete(key);
    }
    return pending;
  };
}
