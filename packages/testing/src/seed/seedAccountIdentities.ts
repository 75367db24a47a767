import { CreatePolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { INSTANCE_CREDENTIAL_DENY_POLICY_NAME, instanceCredentialDenyPolicyDocument } from '@cryptominer-defense/core';
import { type SeededIamRole, seedIamRole, trustAccount, trustService } from './seedIamRole';
import { type SeededIamUser, seedIamUser } from './seedIamUser';

export interface SeedAccountIdentitiesOptions {
  readonly accountId: string;
  /** The account trusted by the responder role (the delegated-admin account). */
  readonly centralAccountId: string;
  /** Default `CryptominerResponderRole`. */
  readonly responderRoleName?: string;
  /** Create what the member-role stack creates besides the role (the instance-credential deny policy); default true. */
  readonly seedMemberStackResources?: boolean;
}

/** The IAM identities of one member account: possible attackers, and the responder role. */
export interface SeededAccountIdentities {
  /** Two active access keys and a console password. */
  readonly developer: SeededIamUser;
  /** One active access key, no console password. */
  readonly ciDeployer: SeededIamUser;
  /** An ordinary role people in the account assume: a freezable actor. */
  readonly appDeployRole: SeededIamRole;
  /** An instance role, trusted by ec2.amazonaws.com. */
  readonly buildAgentRole: SeededIamRole;
  /** What the StackSet deploys: trusted by the central account. */
  readonly responderRole: SeededIamRole;
}

export async function seedAccountIdentities(
  iam: IAMClient,
  options: SeedAccountIdentitiesOptions,
): Promise<SeededAccountIdentities> {
  const [developer, ciDeployer, appDeployRole, buildAgentRole, responderRole] = await Promise.all([
    seedIamUser(iam, { userName: 'developer', accessKeys: 2, loginProfile: true }),
    seedIamUser(iam, { userName: 'ci-deployer', accessKeys: 1, loginProfile: false }),
    seedIamRole(iam, { roleName: 'AppDeployRole', trustPolicy: trustAccount(options.accountId) }),
    seedIamRole(iam, { roleName: 'BuildAgentRole', trustPolicy: trustService('ec2.amazonaws.com') }),
    seedIamRole(iam, {
      roleName: options.responderRoleName ?? 'CryptominerResponderRole',
      trustPolicy: trustAccount(options.centralAccountId),
    }),
    // What the member-role stack creates beside the role: the fixed deny of compromised instances' credentials.
    options.seedMemberStackResources === false
      ? undefined
      : iam.send(
          new CreatePolicyCommand({
            PolicyName: INSTANCE_CREDENTIAL_DENY_POLICY_NAME,
            PolicyDocument: JSON.stringify(instanceCredentialDenyPolicyDocument()),
          }),
        ),
  ]);
  return { developer, ciDeployer, appDeployRole, buildAgentRole, responderRole };
}
