import { STSClient } from '@aws-sdk/client-sts';
import type { CommandIO } from '../command';
import type { GlobalOptions } from '../globalOptions';

/**
 * Applies --profile and --region as the AWS CLI does: they name the profile and region every client of this run
 * uses (AWS_PROFILE, AWS_REGION). With a profile and no region anywhere, the profile's own region (shared config
 * file) is the central region, as the SDK resolves it. `io.env` is the process environment when run as `cli`,
 * which is what the SDK reads.
 */
export async function applyProfileSettings(global: GlobalOptions, io: CommandIO): Promise<void> {
  if (global.profile !== null) io.env.AWS_PROFILE = global.profile;
  if (global.region !== null) io.env.AWS_REGION = global.region;
  const profile = io.env.AWS_PROFILE;
  if (profile === undefined || profile === '' || io.env.AWS_REGION || io.env.AWS_DEFAULT_REGION) return;
  const probe = new STSClient({ profile });
  try {
    io.env.AWS_REGION = await probe.config.region();
  } catch {
    // No region in the profile either: the command says to set one, naming the profile (credentialProblem).
  } finally {
    probe.destroy();
  }
}

/**
 * The errors that mean the credentials a person chose cannot be used: none found (CredentialsProviderError, also for
 * an expired SSO session or expired credential_process output), no SSO token (TokenProviderError), or temporary
 * credentials that expired (what STS and the other services answer).
 */
export const CREDENTIAL_ERROR_NAMES: ReadonlySet<string> = new Set([
  'CredentialsProviderError',
  'TokenProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
]);

/** The SDK's own error for "no usable credentials" or "no region", or the error a command wrapped it in. */
function sdkSetupError(error: unknown): Error | null {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    if (CREDENTIAL_ERROR_NAMES.has(cause.name) || cause.message.startsWith('Region is missing')) return cause;
  }
  return null;
}

/** Whether an error (or what it wraps) is one of the credential errors above. */
export function isCredentialError(error: unknown): boolean {
  const setup = sdkSetupError(error);
  return setup !== null && CREDENTIAL_ERROR_NAMES.has(setup.name);
}

/**
 * The words a credential or region error of the SDK gets: which profile was used (--profile, AWS_PROFILE, or the
 * default chain) and the fixes, an SSO sign-in first (the usual cause of an expired session). Null for others.
 */
export function credentialProblem(error: unknown, env: CommandIO['env']): string | null {
  const setup = sdkSetupError(error);
  if (setup === null) return null;
  const profile = env.AWS_PROFILE;
  const reason = setup.message.split('\n')[0]?.replace(/\.$/, '');
  if (profile === undefined || profile === '') {
    return `Could not use the default credentials (no --profile, no AWS_PROFILE): ${reason}. Name a profile with --profile <name> or AWS_PROFILE=<name> (an SSO one: aws sso login --profile <name> first), or check them with aws configure list.`;
  }
  return `Could not use profile "${profile}": ${reason}. If it is an SSO profile, sign in again: aws sso login --profile ${profile}; else check it (aws configure list --profile ${profile}) or choose another with --profile <name> or AWS_PROFILE=<name>.`;
}
