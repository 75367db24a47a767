import { EMULATOR_CREDENTIALS, EMULATOR_REGION, type EmulatorCredentials } from './emulatorClientConfig';

export interface EmulatorEnvironmentOptions {
  /** The moto endpoint: every service goes there unless overridden. */
  readonly endpoint: string;
  /** The CloudTrail LookupEvents fake (moto answers LookupEvents with a 500). */
  readonly cloudTrailEndpoint?: string;
  /** The Security Hub fake (BatchUpdateFindings; the rest forwarded to moto). */
  readonly securityHubEndpoint?: string;
  /** The GuardDuty fake (UpdateFindingsFeedback, ArchiveFindings; the rest forwarded to moto). */
  readonly guardDutyEndpoint?: string;
  /** AWS_REGION, the central region; default us-east-1. */
  readonly region?: string;
  readonly credentials?: EmulatorCredentials;
}

/**
 * The environment under which unmodified production code (the engine, the CLI) reaches the emulator: only the
 * SDK's standard variables, so the code has no test-only switch.
 */
export function emulatorEnvironment(options: EmulatorEnvironmentOptions): Record<string, string> {
  const credentials = options.credentials ?? EMULATOR_CREDENTIALS;
  const region = options.region ?? EMULATOR_REGION;
  return {
    AWS_ENDPOINT_URL: options.endpoint,
    ...(options.cloudTrailEndpoint !== undefined && { AWS_ENDPOINT_URL_CLOUDTRAIL: options.cloudTrailEndpoint }),
    ...(options.securityHubEndpoint !== undefined && { AWS_ENDPOINT_URL_SECURITYHUB: options.securityHubEndpoint }),
    ...(options.guardDutyEndpoint !== undefined && { AWS_ENDPOINT_URL_GUARDDUTY: options.guardDutyEndpoint }),
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken !== undefined && { AWS_SESSION_TOKEN: credentials.sessionToken }),
    // Never wait for the instance metadata service on a test machine.
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/**
 * Sets the variables on process.env and returns a function that puts back what was there before
 * (for code that reads process.env directly; subprocesses can take the record from emulatorEnvironment).
 */
export function applyEnvironment(variables: Record<string, string>): () => void {
  const previous = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(variables)) {
    previous.set(name, process.env[name]);
    process.env[name] = value;
  }
  return () => {
    for (const [name, value] of previous) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
