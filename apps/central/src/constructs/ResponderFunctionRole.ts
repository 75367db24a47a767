import { centralAccountActions } from '@cryptominer-defense/core';
import { acknowledgeWildcardResources } from '@cryptominer-defense/member-role';
import { Aws } from 'aws-cdk-lib';
import { type IRole, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type CentralActionScope, type CentralScopeInputs, centralActionScopes } from '../centralActionScopes';
import { UnscopedCentralActionError } from '../errors';
import { CENTRAL_INFRASTRUCTURE_ACTIONS, type InfrastructureAction } from '../infrastructureActions';

export interface ResponderFunctionRoleProps extends CentralScopeInputs {
  readonly roleName: string;
  readonly queue: IQueue;
  readonly logGroup: ILogGroup;
  readonly key: IKey;
  /** Default: core's centralAccountActions(). */
  readonly engineActions?: readonly string[];
}

/**
 * The central function's execution role, with two inline policies and nothing else: `EngineCalls`, exactly the
 * actions of core's registry, each scoped; and `Infrastructure`, the actions the Lambda platform needs
 * (infrastructureActions.ts). The function receives it without policy updates, so no construct can widen it
 * behind the reader's back (an event source, for instance, would otherwise add its own grants).
 */
export class ResponderFunctionRole extends Construct {
  readonly role: Role;
  /** The role as handed to the function: grants made to it are dropped. */
  readonly immutableRole: IRole;

  constructor(scope: Construct, id: string, props: ResponderFunctionRoleProps) {
    super(scope, id);
    const scopes = centralActionScopes(props);
    const engineActions = props.engineActions ?? centralAccountActions();
    const unscoped = engineActions.filter((action) => scopes[action] === undefined);
    if (unscoped.length > 0) throw new UnscopedCentralActionError(unscoped);

    const engineStatements = engineActions.map((action) => {
      const actionScope = scopes[action] as CentralActionScope;
      return new PolicyStatement({
        sid: actionScope.sid,
        actions: [action, ...(actionScope.impliedActions ?? [])],
        resources: actionScope.resources,
        ...(actionScope.conditions ? { conditions: actionScope.conditions } : {}),
      });
    });

    const infrastructure = (
      actions: InfrastructureAction[],
      resources: string[],
      conditions?: PolicyStatement['conditions'],
    ) => new PolicyStatement({ actions, resources, ...(conditions ? { conditions } : {}) });
    const listed = (prefix: string) =>
      CENTRAL_INFRASTRUCTURE_ACTIONS.map((entry) => entry.action).filter((action) => action.startsWith(prefix));
    const infrastructureStatements = [
      infrastructure(listed('sqs:'), [props.queue.queueArn]),
      infrastructure(listed('logs:'), [props.logGroup.logGroupArn]),
      infrastructure(listed('kms:'), [props.key.keyArn], {
        StringEquals: { 'kms:ViaService': [`s3.${Aws.REGION}.amazonaws.com`, `sns.${Aws.REGION}.amazonaws.com`] },
      }),
    ];

    this.role = new Role(this, 'Role', {
      roleName: props.roleName,
      description: 'Cryptominer Auto Defense: the central responder function',
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: {
        EngineCalls: new PolicyDocument({ statements: engineStatements }),
        Infrastructure: new PolicyDocument({ statements: infrastructureStatements }),
      },
    });
    this.immutableRole = this.role.withoutPolicyUpdates();

    acknowledgeWildcardResources(this.role, [
      ...engineActions.flatMap((action) => {
        const actionScope = scopes[action] as CentralActionScope;
        return actionScope.resources.map((resource) => ({ resource, reason: actionScope.reason }));
      }),
      {
        resource: props.logGroup.logGroupArn,
        reason: 'Log streams of the function log group are created by the Lambda runtime with generated names.',
      },
    ]);
  }
}
