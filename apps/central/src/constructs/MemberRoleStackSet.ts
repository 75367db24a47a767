import { MEMBER_ROLE_PARAMETERS, memberRoleTemplate } from '@cryptominer-defense/member-role';
import { Aws } from 'aws-cdk-lib';
import { CfnStackSet } from 'aws-cdk-lib/aws-cloudformation';
import { Construct } from 'constructs';
import { MEMBER_ROLE_STACK_SET_NAME } from '../deploymentNames';

export interface MemberRoleStackSetProps {
  readonly organizationId: string;
  readonly targetOrganizationalUnitIds: string[];
  /** The one region the role is deployed in: IAM is global, and a fixed role name would collide in a second. */
  readonly region: string;
  readonly responderRoleName: string;
  readonly centralFunctionRoleName: string;
}

/**
 * The StackSet that puts the responder role into every account of the target OUs, and into every account that
 * joins them later. Service-managed (Organizations creates the execution roles), operated from the delegated
 * administrator (CallAs DELEGATED_ADMIN). It never reaches the management account: that one, and the
 * delegated-admin account itself, get the plain member-role stack.
 */
export class MemberRoleStackSet extends Construct {
  readonly stackSet: CfnStackSet;

  constructor(scope: Construct, id: string, props: MemberRoleStackSetProps) {
    super(scope, id);
    this.stackSet = new CfnStackSet(this, 'StackSet', {
      stackSetName: MEMBER_ROLE_STACK_SET_NAME,
      description: 'Cryptominer Auto Defense: the responder role in every member account',
      permissionModel: 'SERVICE_MANAGED',
      callAs: 'DELEGATED_ADMIN',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      operationPreferences: {
        // Keep going when a few accounts fail (e.g. an SCP blocks IAM), but stop a rollout that fails broadly.
        failureTolerancePercentage: 10,
        maxConcurrentPercentage: 25,
        regionConcurrencyType: 'PARALLEL',
      },
      templateBody: JSON.stringify(memberRoleTemplate()),
      parameters: [
        { parameterKey: MEMBER_ROLE_PARAMETERS.centralAccountId, parameterValue: Aws.ACCOUNT_ID },
        { parameterKey: MEMBER_ROLE_PARAMETERS.centralFunctionRoleName, parameterValue: props.centralFunctionRoleName },
        { parameterKey: MEMBER_ROLE_PARAMETERS.organizationId, parameterValue: props.organizationId },
        { parameterKey: MEMBER_ROLE_PARAMETERS.responderRoleName, parameterValue: props.responderRoleName },
      ],
      stackInstancesGroup: [
        {
          deploymentTargets: { organizationalUnitIds: props.targetOrganizationalUnitIds },
          regions: [props.region],
        },
      ],
    });
  }
}
