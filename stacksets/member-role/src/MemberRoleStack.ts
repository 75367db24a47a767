import { CfnOutput, CfnParameter, CliCredentialsStackSynthesizer, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DEFAULT_CENTRAL_FUNCTION_ROLE_NAME, DEFAULT_RESPONDER_ROLE_NAME } from './memberRoleDefaults';
import { ResponderRole } from './ResponderRole';

/** The CloudFormation parameters of the member-role template: everything that differs per organization. */
export const MEMBER_ROLE_PARAMETERS = {
  centralAccountId: 'CentralAccountId',
  centralFunctionRoleName: 'CentralFunctionRoleName',
  organizationId: 'OrganizationId',
  responderRoleName: 'ResponderRoleName',
} as const;

/**
 * The responder role as a stack of its own. The StackSet deploys this template to every account of the target
 * OUs; the same stack is deployed by hand to the accounts a StackSet cannot reach (the management account and
 * the delegated-admin account). A StackSet template is synthesized once for every account, so whatever differs
 * per organization is a parameter and whatever differs per account is a pseudo parameter.
 */
export class MemberRoleStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, {
      description: 'Cryptominer Auto Defense: the responder role the central function assumes in this account',
      // Deployed where no CDK bootstrap exists (StackSet targets, the management account); the template has no assets.
      synthesizer: new CliCredentialsStackSynthesizer(),
      ...props,
    });

    const centralAccountId = new CfnParameter(this, MEMBER_ROLE_PARAMETERS.centralAccountId, {
      type: 'String',
      allowedPattern: '^\\d{12}$',
      constraintDescription: 'the 12-digit id of the GuardDuty delegated-admin account',
      description: 'The account where the central responder function runs (the GuardDuty delegated admin).',
    });
    const centralFunctionRoleName = new CfnParameter(this, MEMBER_ROLE_PARAMETERS.centralFunctionRoleName, {
      type: 'String',
      default: DEFAULT_CENTRAL_FUNCTION_ROLE_NAME,
      allowedPattern: '^[\\w+=,.@-]{1,64}$',
      description: "The central function's execution role name: the only principal allowed to assume this role.",
    });
    const organizationId = new CfnParameter(this, MEMBER_ROLE_PARAMETERS.organizationId, {
      type: 'String',
      allowedPattern: '^o-[a-z0-9]{10,32}$',
      constraintDescription: 'an organization id such as o-a1b2c3d4e5',
      description: 'The organization the central account must belong to (aws:PrincipalOrgID).',
    });
    const responderRoleName = new CfnParameter(this, MEMBER_ROLE_PARAMETERS.responderRoleName, {
      type: 'String',
      default: DEFAULT_RESPONDER_ROLE_NAME,
      allowedPattern: '^[\\w+=,.@-]{1,64}$',
      description: "This role's name; the central function's RESPONDER_ROLE_NAME must be the same.",
    });

    const responder = new ResponderRole(this, 'ResponderRole', {
      roleName: responderRoleName.valueAsString,
      centralAccountId: centralAccountId.valueAsString,
      centralFunctionRoleName: centralFunctionRoleName.valueAsString,
      organizationId: organizationId.valueAsString,
    });

    new CfnOutput(this, 'ResponderRoleArn', { value: responder.role.roleArn });
  }
}
