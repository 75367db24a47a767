import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { ResponderError } from '../errors';
import { findingSessionName } from './findingSession';

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
  readonly roleSessionName: string;
  /** Credentials closer than this to expiry are renewed; default 5 minutes. */
  readonly expiryMarginMs?: number;
  readonly now?: () => Date;
}

/** A finding's session serves one response: the shortest duration STS grants. */
const FINDING_SESSION_SECONDS = 900;
/** Finding sessions kept at most (a warm container sees many findings); the oldest go first. */
const MAX_FINDING_SESSIONS = 64;

function forgetOldestFindingSessions(cache: Map<string, unknown>): void {
  const findingKeys = [...cache.keys()].filter((key) => key.includes('#'));
  for (const key of findingKeys.slice(0, Math.max(0, findingKeys.length - MAX_FINDING_SESSIONS + 1))) cache.delete(key);
}

/** The ARN of the responder role in an account, built with the finding's partition (aws, aws-cn, aws-us-gov). */
export function responderRoleArn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/**
 * Credentials of the responder role per account, cached until shortly before they expire. The STS client is
 * regional (the SDK's default): tokens of the global endpoint are not valid in opt-in regions.
 */
export function createAssumedRoleCredentials(
  sts: STSClient,
  options: AssumedRoleOptions,
): (target: {
  readonly accountId: string;
  readonly partition: string;
  /** A session of its own for this finding (its name and SourceIdentity), instead of the account's shared one. */
  readonly findingId?: string;
}) => Promise<AssumedRoleCredentials> {
  const margin = options.expiryMarginMs ?? 5 * 60 * 1000;
  const now = options.now ?? (() => new Date());
  const cache = new Map<string, Promise<AssumedRoleCredentials>>();

  async function assume(roleArn: string, accountId: string, findingId?: string): Promise<AssumedRoleCredentials> {
    const perFinding = findingId === undefined ? {} : { SourceIdentity: findingSessionName(findingId) };
    const response = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: findingId === undefined ? options.roleSessionName : findingSessionName(findingId),
        DurationSeconds: findingId === undefined ? 3600 : FINDING_SESSION_SECONDS,
        ...perFinding,
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
    const cacheKey = target.findingId === undefined ? roleArn : `${roleArn}#${target.findingId}`;
    const cached = cache.get(cacheKey);
    if (cached !== undefined) {
      try {
        const credentials = await cached;
        if (credentials.expiration.getTime() - now().getTime() > margin) return credentials;
      } catch {
        // A failed attempt is not cached: the next call tries again.
      }
    }
    // One request in flight per account, even when several steps ask at once.
    const pending = assume(roleArn, target.accountId, target.findingId);
    if (target.findingId !== undefined) forgetOldestFindingSessions(cache);
    cache.set(cacheKey, pending);
    pending.catch(() => cache.delete(cacheKey));
    return pending;
  };
}
