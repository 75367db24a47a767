import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { UsageError } from '../command';

/** Who the operator's credentials are, as STS says: the ARN recorded as who acted, and its account. */
export interface CallerIdentity {
  readonly arn: string;
  readonly account: string | undefined;
}

/** STS GetCallerIdentity (needs no permission); without usable credentials, a UsageError that says what to set. */
export async function callerIdentity(sts: STSClient): Promise<CallerIdentity> {
  const caller = await sts.send(new GetCallerIdentityCommand({})).catch((error: unknown) => {
    const code = error instanceof Error ? error.name : 'Error';
    throw new UsageError(
      `Could not tell who you are (${code}): configure AWS credentials (AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).`,
      { cause: error },
    );
  });
  return { arn: caller.Arn ?? 'unknown', account: caller.Account };
}
