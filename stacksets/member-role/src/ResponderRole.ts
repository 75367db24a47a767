import { Aws, Duration } from 'aws-cdk-lib';
import { AccountPrincipal, type IRole, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeWildcardResources } from './acknowledgeWildcardResources';
import { inThisAccount } from './memberActionScopes';
import { memberRolePolicyDocument } from './memberRolePolicyDocument';
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
    // The central function sets a SourceIdentity (the finding) on the session its changes go under: the member
    // account's CloudTrail ties each change to its finding, through any role chaining.
    (this.role as Role).assumeRolePolicy?.addStatements(
      new PolicyStatement({ actions: ['sts:SetSourceIdentity'], principals: [trustedPrincipal] }),
    );
    acknowledgeWildcardResources(
      this.role,
      MEMBER_ROLE_WILDCARDS.map(({ resource, reason }) => ({ resource: inThisAccount(resource), reason })),
    );
  }
}

function centralFunctionRoleArn(centralAccountId: string, roleName: string): string {
  // The partition of the account the role is deployed in: an organization lives in one partition.
  return `arn:${Aws.PARTITION}:iam::${centralAccountId}:role/${roleName}`;
}
