import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { MEMBER_ROLE_STACK_SET_NAME, STACK_NAMES } from '@cryptominer-defense/central/deployment-names';
import { mapWithConcurrency } from '@cryptominer-defense/core';
import { type CheckResult, DeploymentGap, runCheck } from './checkResult';

export interface ResponderRoleCheckOptions {
  /** STS with the credentials doctor runs with, in the home region. */
  readonly sts: STSClient;
  readonly region: string;
  readonly partition: string;
  readonly responderRoleName: string;
  /**
   * A role doctor may assume in every member (e.g. an audit role): then it checks that the responder role exists
   * there (iam:GetRole) instead of assuming it, which its trust allows to the central function's role only.
   */
  readonly viaRoleName?: string;
  readonly concurrency: number;
}

const SESSION_NAME = 'cryptominer-doctor';

async function assume(sts: STSClient, roleArn: string, region: string) {
  const { Credentials: issued } = await sts.send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: SESSION_NAME }),
  );
  if (issued?.AccessKeyId === undefined || issued.SecretAccessKey === undefined) {
    throw new DeploymentGap('NoCredentials', `AssumeRole into ${roleArn} returned no credentials: run doctor again.`);
  }
  const credentials = {
    accessKeyId: issued.AccessKeyId,
    secretAccessKey: issued.SecretAccessKey,
    ...(issued.SessionToken === undefined ? {} : { sessionToken: issued.SessionToken }),
  };
  return { region, credentials };
}

/** AssumeRole into the responder role, then a read under it: the session must be that role's, in that account. */
async function assumeResponderRole(options: ResponderRoleCheckOptions, accountId: string): Promise<void> {
  const roleArn = `arn:${options.partition}:iam::${accountId}:role/${options.responderRoleName}`;
  const sts = new STSClient(await assume(options.sts, roleArn, options.region));
  try {
    const caller = await sts.send(new GetCallerIdentityCommand({}));
    if (caller.Account !== accountId || !caller.Arn?.includes(`:assumed-role/${options.responderRoleName}/`)) {
      throw new DeploymentGap('Mismatch', `The session acts as ${caller.Arn ?? 'unknown'}, not as ${roleArn}.`);
    }
  } finally {
    sts.destroy();
  }
}

/** With --via-role-name: assume that role, then iam:GetRole of the responder role. */
async function findResponderRoleVia(
  options: ResponderRoleCheckOptions & { viaRoleName: string },
  accountId: string,
): Promise<void> {
  const viaArn = `arn:${options.partition}:iam::${accountId}:role/${options.viaRoleName}`;
  const iam = new IAMClient(await assume(options.sts, viaArn, options.region));
  try {
    await iam.send(new GetRoleCommand({ RoleName: options.responderRoleName }));
  } finally {
    iam.destroy();
  }
}

function fixOf(options: ResponderRoleCheckOptions, accountId: string, code: string): string {
  const deployRole =
    `look at the StackSet's instance for ${accountId} (aws cloudformation list-stack-instances --stack-set-name ` +
    `${MEMBER_ROLE_STACK_SET_NAME} --call-as DELEGATED_ADMIN), or deploy ${STACK_NAMES.memberRole} there if the ` +
    'StackSet cannot reach it (the management account, the delegated admin outside the target OUs).';
  if (options.viaRoleName === undefined) {
    return (
      `The role is missing in ${accountId}, or it does not trust these credentials (it trusts only the central ` +
      `function's role). If it is missing, ${deployRole} To tell the two apart, run doctor with --via-role-name ` +
      '<a role you may assume in every account>.'
    );
  }
  return code === 'NoSuchEntity' || code === 'NoSuchEntityException'
    ? `The role is missing in ${accountId}: ${deployRole}`
    : `Could not look into ${accountId} as ${options.viaRoleName}: pass --via-role-name with a role doctor may assume there that may call iam:GetRole.`;
}

/** One row per account: the responder role there, assumed (or found through --via-role-name), checked concurrently. */
export function checkResponderRoles(
  options: ResponderRoleCheckOptions,
  accountIds: readonly string[],
): Promise<CheckResult[]> {
  const { viaRoleName } = options;
  const check =
    viaRoleName === undefined
      ? `responder role ${options.responderRoleName} can be assumed`
      : `responder role ${options.responderRoleName} exists (seen through ${viaRoleName})`;
  return mapWithConcurrency(accountIds, options.concurrency, (accountId) =>
    runCheck(
      check,
      accountId,
      () =>
        viaRoleName === undefined
          ? assumeResponderRole(options, accountId)
          : findResponderRoleVia({ ...options, viaRoleName }, accountId),
      (code) => fixOf(options, accountId, code),
    ),
  );
}
