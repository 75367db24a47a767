import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { requireValue } from './requireValue';

export interface SeedIamUserOptions {
  readonly userName: string;
  /** How many access keys to create (IAM allows two). Default 2. */
  readonly accessKeys?: 0 | 1 | 2;
  /** Whether the user can sign in to the console. Default true. */
  readonly loginProfile?: boolean;
}

export interface SeededIamUser {
  readonly userName: string;
  readonly arn: string;
  readonly accessKeyIds: readonly string[];
  readonly hasLoginProfile: boolean;
}

/** An IAM user with active access keys and, by default, a console password. */
export async function seedIamUser(iam: IAMClient, options: SeedIamUserOptions): Promise<SeededIamUser> {
  const created = await iam.send(new CreateUserCommand({ UserName: options.userName }));
  const accessKeyIds: string[] = [];
  for (let index = 0; index < (options.accessKeys ?? 2); index++) {
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: options.userName }));
    accessKeyIds.push(requireValue(key.AccessKey?.AccessKeyId, 'access key id'));
  }
  const hasLoginProfile = options.loginProfile ?? true;
  if (hasLoginProfile) {
    await iam.send(
      new CreateLoginProfileCommand({
        UserName: options.userName,
        Password: 'Emulator-only-password-1!',
        PasswordResetRequired: false,
      }),
    );
  }
  return {
    userName: options.userName,
    arn: requireValue(created.User?.Arn, 'user ARN'),
    accessKeyIds,
    hasLoginProfile,
  };
}
