/** Static credentials in the shape every SDK v3 client accepts. */
export interface EmulatorCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** moto's default account: requests signed with unknown keys act here. The seeder makes it the management account. */
export const EMULATOR_DEFAULT_ACCOUNT_ID = '123456789012';
export const EMULATOR_REGION = 'us-east-1';
/** Fake keys: moto does not verify signatures, and keys it does not know act in the default account. */
export const EMULATOR_CREDENTIALS: EmulatorCredentials = {
  accessKeyId: 'AKIAEMULATOR00000000',
  secretAccessKey: 'emulator-secret-access-key-not-a-real-secret',
};

export interface EmulatorClientConfigOptions {
  readonly region?: string;
  readonly credentials?: EmulatorCredentials;
}

/** Configuration for any SDK v3 client (EC2Client, S3Client, …) that talks to the emulator. */
export interface EmulatorClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: EmulatorCredentials;
  /** Read by S3Client only: the emulator cannot serve virtual-hosted bucket names on 127.0.0.1. */
  readonly forcePathStyle: true;
  /** Tests should fail fast, not retry a broken call for seconds. */
  readonly maxAttempts: number;
}

export function emulatorClientConfig(
  endpoint: string,
  options: EmulatorClientConfigOptions = {},
): EmulatorClientConfig {
  return {
    endpoint,
    region: options.region ?? EMULATOR_REGION,
    credentials: options.credentials ?? EMULATOR_CREDENTIALS,
    forcePathStyle: true,
    maxAttempts: 2,
  };
}
