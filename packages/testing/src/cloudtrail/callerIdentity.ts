import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { CloudTrailApiError } from './cloudTrailApiError';

/** What a SigV4 Authorization header says about the caller. */
export interface SignedCaller {
  readonly accessKeyId: string;
  readonly region: string;
}

const CREDENTIAL_SCOPE = /Credential=([^/\s,]+)\/\d{8}\/([^/\s,]+)\/([^/\s,]+)\/aws4_request/;

/** Reads the access key id and the region from `Authorization: AWS4-HMAC-SHA256 Credential=AKID/date/region/…`. */
export function signedCallerOf(authorization: string | undefined): SignedCaller {
  const match = authorization === undefined ? null : CREDENTIAL_SCOPE.exec(authorization);
  if (match === null || match[1] === undefined || match[2] === undefined) {
    throw new CloudTrailApiError(
      'MissingAuthenticationTokenException',
      'Request is missing a SigV4 Authorization header with a credential scope.',
      403,
    );
  }
  return { accessKeyId: match[1], region: match[2] };
}

/** Maps an access key id to the account it acts in. */
export type AccountResolver = (accessKeyId: string) => Promise<string>;

/**
 * Asks the emulator's STS whose key this is (moto does not check signatures, so the key id alone identifies
 * the caller), and remembers the answer.
 */
export function emulatorAccountResolver(emulatorEndpoint: string): AccountResolver {
  const cache = new Map<string, Promise<string>>();
  return (accessKeyId) => {
    let account = cache.get(accessKeyId);
    if (account === undefined) {
      account = (async () => {
        const sts = new STSClient({
          endpoint: emulatorEndpoint,
          region: 'us-east-1',
          credentials: { accessKeyId, secretAccessKey: 'not-checked-by-the-emulator' },
          maxAttempts: 1,
        });
        try {
          const identity = await sts.send(new GetCallerIdentityCommand({}));
          if (identity.Account === undefined) throw new Error('GetCallerIdentity returned no account');
          return identity.Account;
        } finally {
          sts.destroy();
        }
      })();
      cache.set(accessKeyId, account);
      // A failed lookup is not remembered, so the next call tries again.
      account.catch(() => cache.delete(accessKeyId));
    }
    return account;
  };
}
