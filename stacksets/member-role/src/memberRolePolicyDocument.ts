import { memberAccountActions } from '@cryptominer-defense/core';
import { Effect, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { UnscopedActionError } from './errors';
import { type ActionScope, conditionsInThisAccount, inThisAccount, MEMBER_ACTION_SCOPES } from './memberActionScopes';
import { protectedRoleResourcePatterns } from './protectedRoles';

const READ_ONLY_ACTION = /^[a-z0-9-]+:(Get|List|Describe)/;

/**
 * The member role's permissions: exactly the actions of core's registry (memberAccountActions()), each on the
 * resources of its scope (and of the scopes its scope names in `alsoAllowed`, one statement each), plus a Deny of
 * the role writes on protected roles.
 * Throws UnscopedActionError when the registry holds an action that has no scope yet.
 */
export function memberRolePolicyDocument(
  responderRoleName: string,
  actions: readonly string[] = memberAccountActions(),
): PolicyDocument {
  const unscoped = actions.filter((action) => MEMBER_ACTION_SCOPES[action] === undefined);
  if (unscoped.length > 0) throw new UnscopedActionError(unscoped);

  const actionsByScope = new Map<ActionScope, string[]>();
  const grant = (scope: ActionScope, action: string) => {
    actionsByScope.set(scope, [...(actionsByScope.get(scope) ?? []), action]);
    for (const further of scope.alsoAllowed ?? []) grant(further, action);
  };
  for (const action of actions) grant(MEMBER_ACTION_SCOPES[action] as ActionScope, action);

  const allowStatements = [...actionsByScope].map(
    ([scope, scopedActions]) =>
      new PolicyStatement({
        sid: scope.sid,
        effect: Effect.ALLOW,
        actions: scopedActions,
        resources: scope.resources.map(inThisAccount),
        ...(scope.conditions ? { conditions: conditionsInThisAccount(scope.conditions) } : {}),
      }),
  );

  const protectedWrites = [...actionsByScope]
    .filter(([scope]) => scope.denyOnProtectedRoles === true)
    .flatMap(([, scopedActions]) => scopedActions)
    .filter((action) => !READ_ONLY_ACTION.test(action));
  const denyStatements =
    protectedWrites.length === 0
      ? []
      : [
          new PolicyStatement({
            sid: 'NeverRewriteProtectedRoles',
            effect: Effect.DENY,
            actions: protectedWrites,
            resources: protectedRoleResourcePatterns(responderRoleName),
          }),
        ];

  return new PolicyDocument({ statements: [...allowStatements, ...denyStatements] });
}
