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
  readonly roleSessionName: string;
  /** Credentials closer than this to expiry are renewed; default 5 minutes. */
  readonly expiryMarginMs?: number;
  readonly now?: () => Date;
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
): (target: { readonly accountId: string; readonly partition: string }) => Promise<AssumedRoleCredentials> {
  const margin = options.expiryMarginMs ?? 5 * 60 * 1000;
  const now = options.now ?? (() => new Date());
  const cache = new Map<string, Promise<AssumedRoleCredentials>>();

  async function assume(roleArn: string, accountId: string): Promise<AssumedRoleCredentials> {
    const response = await sts.send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: options.roleSessionName, DurationSeconds: 3600 }),
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
    const cached = cache.get(roleArn);
    if (cached !== undefined) {
      try {
        const credentials = await cached;
        if (credentials.expiration.getTime() - now().getTime() > margin) return credentials;
      } catch {
        // A failed attempt is not cached: the next call tries again.
      }
    }
    // One request in flight per account, even when several steps ask at once.
    const pending = assume(roleArn, target.accountId);
    cache.set(roleArn, pending);
    pending.catch(() => cache.delete(roleArn));
    return pending;
  };
}
