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

/** The SDK's own error for "no usable credentials" or "no region", or the error a command wrapped it in. */
function sdkSetupError(error: unknown): Error | null {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    if (cause.name === 'CredentialsProviderError' || cause.message.startsWith('Region is missing')) return cause;
  }
  return null;
}

/** The words a credential or region error of the SDK gets, naming the profile a person chose; null for others. */
export function credentialProblem(error: unknown, env: CommandIO['env']): string | null {
  const setup = sdkSetupError(error);
  if (setup === null) return null;
  const profile = env.AWS_PROFILE;
  const which = profile === undefined || profile === '' ? 'the default credentials' : `profile "${profile}"`;
  const list = profile ? `aws configure list --profile ${profile}` : 'aws configure list';
  return `Could not use ${which}: ${setup.message.split('\n')[0]}. Check it in your AWS config and credentials files (${list}), or pass --profile <name> and --region <region>.`;
}
