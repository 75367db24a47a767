import { INSTANCE_CREDENTIAL_DENY_POLICY_NAME, instanceCredentialDenyPolicyDocument } from '@cryptominer-defense/core';
import { Aws, Duration } from 'aws-cdk-lib';
import {
  AccountPrincipal,
  type IRole,
  ManagedPolicy,
  PolicyDocument,
  PolicyStatement,
  Role,
} from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeWildcardResources } from './acknowledgeWildcardResources';
import { inThisAccount } from './memberActionScopes';
import { memberRoleManagedPolicyDocument, memberRolePolicyDocument } from './memberRolePolicyDocument';
import { MEMBER_ROLE_WILDCARDS } from './wildcardAcknowledgements';

export interface ResponderRoleProps {
  /** The role's name; the central function assumes `arn:<partition>:iam::<member>:role/<name>`. */
  readonly roleName: string;
  /** The GuardDuty delegated-admin account, where the central function runs. */
  readonly centralAccountId: string;
  /** The name of the central function's execution role: the only principal that may assume this role. */
  readonly centralFunctionRoleName: string;
  /** The organization (`o-…`): the assuming principal must belong to it. */
  readonly organizationId: string;
}

/**
 * The responder role of a member account. Trusts the central account, on the conditions that the caller is the
 * central function's role (aws:PrincipalArn) and belongs to the organization (aws:PrincipalOrgID): trusting the
 * account rather than naming the role in the Principal survives a re-creation of the central role (domain.md §6).
 */
export class ResponderRole extends Construct {
  readonly role: IRole;

  constructor(scope: Construct, id: string, props: ResponderRoleProps) {
    super(scope, id);
    const trustedPrincipal = new AccountPrincipal(props.centralAccountId).withConditions({
      StringEquals: {
        'aws:PrincipalArn': centralFunctionRoleArn(props.centralAccountId, props.centralFunctionRoleName),
        'aws:PrincipalOrgID': props.organizationId,
      },
    });
    this.role = new Role(this, 'Role', {
      roleName: props.roleName,
      description: 'Assumed by the central Cryptominer responder to contain an instance and freeze who launched it',
      assumedBy: trustedPrincipal,
      // The engine's longest response takes minutes; a leaked session should not outlive the incident by much.
      maxSessionDuration: Duration.hours(1),
      inlinePolicies: { CryptominerResponse: memberRolePolicyDocument(props.roleName) },
    });
    // What does not fit in the inline policy (IAM caps a role's inline policies at 10,240 characters in all).
    const managed = new ManagedPolicy(this, 'DeniedInstanceSlots', {
      description: 'Cryptominer responder: name a compromised instance in an empty denied-instance tag of its role',
      document: memberRoleManagedPolicyDocument(props.roleName),
      roles: [this.role],
    });
    // Attached by the responder to the role of a compromised instance, never by this stack: it denies everything to
    // the credentials of the instances the role's denied-instance tags name (docs/decisions/0017).
    new ManagedPolicy(this, 'DenyCompromisedInstanceCredentials', {
      managedPolicyName: INSTANCE_CREDENTIAL_DENY_POLICY_NAME,
      description:
        "Denies everything to the credentials of the instances named by the role's cryptominer-defense:denied-instance-N tags",
      document: PolicyDocument.fromJson(instanceCredentialDenyPolicyDocument()),
    });
    // The central function sets a SourceIdentity (the finding) on the session its changes go under: the member
    // account's CloudTrail ties each change to its finding, through any role chaining.
    (this.role as Role).assumeRolePolicy?.addStatements(
      new PolicyStatement({ actions: ['sts:SetSourceIdentity'], principals: [trustedPrincipal] }),
    );
    const wildcards = MEMBER_ROLE_WILDCARDS.map(({ resource, reason }) => ({
      resource: inThisAccount(resource),
      reason,
    }));
    acknowledgeWildcardResources(this.role, wildcards);
    acknowledgeWildcardResources(managed, wildcards);
  }
}

function centralFunctionRoleArn(centralAccountId: string, roleName: string): string {
  // The partition of the account the role is deployed in: an organization lives in one partition.
  return `arn:${Aws.PARTITION}:iam::${centralAccountId}:role/${roleName}`;
}
