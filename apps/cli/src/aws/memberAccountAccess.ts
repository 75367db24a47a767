import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { ReleaseClients } from '@cryptominer-defense/release';
import { UsageError } from '../command';
import { callerIdentity } from './callerIdentity';

export interface MemberAccountAccess {
  readonly clients: ReleaseClients;
  /** Who acts, for the plan and the release record. */
  readonly operatorArn: string;
  /** How the account is reached, in words. */
  readonly via: string;
  destroy(): void;
}

export interface MemberAccountAccessOptions {
  readonly centralRegion: string;
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;
  /** A role the operator may assume in the account; without it, the operator's credentials must be that account's. */
  readonly roleName?: string;
  /** The session name of that role, as the account's CloudTrail shows it (default `cryptominer-release`). */
  readonly sessionName?: string;
}

/** The operator's ARN, asked in the central region (for a record that acts in no member account: a rejection). */
export async function operatorArnIn(centralRegion: string): Promise<string> {
  const sts = new STSClient({ region: centralRegion });
  try {
    return (await callerIdentity(sts)).arn;
  } finally {
    sts.destroy();
  }
}

/**
 * Release and approval run with the operator's own credentials, never the responder role (which grants none of the
 * undo actions, and whose changes CloudTrail would not tie to a person): either they already act in the incident's
 * account, or they assume a role the operator is allowed in there (--role-name, e.g. the organization's admin role).
 */
export async function memberAccountAccess(options: MemberAccountAccessOptions): Promise<MemberAccountAccess> {
  const sts = new STSClient({ region: options.centralRegion });
  try {
    const caller = await callerIdentity(sts);
    const operatorArn = caller.arn;
    let credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
    let via = `your credentials (${operatorArn})`;
    if (options.roleName !== undefined) {
      const roleArn = `arn:${options.partition}:iam::${options.accountId}:role/${options.roleName}`;
      const assumed = await sts
        .send(
          new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: options.sessionName ?? 'cryptominer-release' }),
        )
        .catch((error: unknown) => {
          const code = error instanceof Error ? error.name : 'Error';
          throw new UsageError(
            `Could not assume ${roleArn} (${code}): pass a role you may assume in ${options.accountId} with --role-name, or run with that account's credentials.`,
            { cause: error },
          );
        });
      const issued = assumed.Credentials;
      if (issued?.AccessKeyId === undefined || issued.SecretAccessKey === undefined) {
        throw new UsageError(`AssumeRole into ${roleArn} returned no credentials.`);
      }
      credentials = {
        accessKeyId: issued.AccessKeyId,
        secretAccessKey: issued.SecretAccessKey,
        ...(issued.SessionToken === undefined ? {} : { sessionToken: issued.SessionToken }),
      };
      via = `${roleArn}, assumed with ${operatorArn}`;
    } else if (caller.account !== options.accountId) {
      throw new UsageError(
        `Your credentials act in account ${caller.account ?? 'unknown'}, the incident is in ${options.accountId}: pass --role-name <a role you may assume there> or use that account's credentials (e.g. AWS_PROFILE).`,
      );
    }
    const config = { region: options.region, ...(credentials === undefined ? {} : { credentials }) };
    const clients = {
      ec2: new EC2Client(config),
      autoScaling: new AutoScalingClient(config),
      iam: new IAMClient(config),
      lambda: new LambdaClient(config),
    };
    return {
      clients,
      operatorArn,
      via,
      destroy: () => {
        clients.ec2.destroy();
        clients.autoScaling.destroy();
        clients.iam.destroy();
        clients.lambda.destroy();
      },
    };
  } finally {
    sts.destroy();
  }
}
