import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { HarnessSetupError } from '../errors';
import {
  EMULATOR_REGION,
  type EmulatorClientConfig,
  type EmulatorCredentials,
  emulatorClientConfig,
} from './emulatorClientConfig';

export interface AccountCredentialsOptions {
  /** The role to assume in the account; default `OrganizationAccountAccessRole` (moto needs no such role). */
  readonly roleName?: string;
  readonly region?: string;
  /** The credentials that call AssumeRole; default the emulator's default (management) account. */
  readonly callerCredentials?: EmulatorCredentials;
  readonly sessionName?: string;
}

/**
 * Credentials that act in `accountId`: AssumeRole into `arn:aws:iam::<accountId>:role/<roleName>`, exactly as the
 * responder reaches a member account (moto answers with keys it maps to that account).
 */
export async function credentialsForAccount(
  endpoint: string,
  accountId: string,
  options: AccountCredentialsOptions = {},
): Promise<EmulatorCredentials> {
  if (!/^\d{12}$/.test(accountId)) {
    throw new HarnessSetupError(`"${accountId}" is not an AWS account id: pass the 12 digits.`);
  }
  const region = options.region ?? EMULATOR_REGION;
  const sts = new STSClient(
    emulatorClientConfig(endpoint, {
      region,
      ...(options.callerCredentials && { credentials: options.callerCredentials }),
    }),
  );
  try {
    const response = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${accountId}:role/${options.roleName ?? 'OrganizationAccountAccessRole'}`,
        RoleSessionName: options.sessionName ?? 'emulator-test',
      }),
    );
    const credentials = response.Credentials;
    if (credentials?.AccessKeyId === undefined || credentials.SecretAccessKey === undefined) {
      throw new HarnessSetupError(`The emulator's AssumeRole into ${accountId} returned no credentials.`);
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      ...(credentials.SessionToken !== undefined && { sessionToken: credentials.SessionToken }),
    };
  } finally {
    sts.destroy();
  }
}

/** Client configuration that acts in `accountId` (see credentialsForAccount). */
export async function clientConfigForAccount(
  endpoint: string,
  accountId: string,
  options: AccountCredentialsOptions = {},
): Promise<EmulatorClientConfig> {
  const credentials = await credentialsForAccount(endpoint, accountId, options);
  return emulatorClientConfig(endpoint, { region: options.region ?? EMULATOR_REGION, credentials });
}
