import { memberAccountActions } from '@cryptominer-defense/core';
import { Effect, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { UnscopedActionError } from './errors';
import { type ActionScope, conditionsInThisAccount, inThisAccount, MEMBER_ACTION_SCOPES } from './memberActionScopes';
import { protectedRoleResourcePatterns } from './protectedRoles';

const READ_ONLY_ACTION = /^[a-z0-9-]+:(Get|List|Describe)/;

/** The member role's statements: the inline policy's, and those of scopes that go into its managed policy. */
function memberRoleStatements(
  responderRoleName: string,
  actions: readonly string[],
): { readonly inline: PolicyStatement[]; readonly managed: PolicyStatement[] } {
  const unscoped = actions.filter((action) => MEMBER_ACTION_SCOPES[action] === undefined);
  if (unscoped.length > 0) throw new UnscopedActionError(unscoped);

  const actionsByScope = new Map<ActionScope, string[]>();
  const grant = (scope: ActionScope, action: string) => {
    actionsByScope.set(scope, [...(actionsByScope.get(scope) ?? []), action]);
    for (const further of scope.alsoAllowed ?? []) grant(further, action);
  };
  for (const action of actions) grant(MEMBER_ACTION_SCOPES[action] as ActionScope, action);

  const allow = ([scope, scopedActions]: [ActionScope, string[]]) =>
    new PolicyStatement({
      sid: scope.sid,
      effect: Effect.ALLOW,
      actions: scopedActions,
      resources: scope.resources.map(inThisAccount),
      ...(scope.conditions ? { conditions: conditionsInThisAccount(scope.conditions) } : {}),
    });
  const scopes = [...actionsByScope];

  const protectedWrites = scopes
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
            actions: [...new Set(protectedWrites)],
            resources: protectedRoleResourcePatterns(responderRoleName),
          }),
        ];

  return {
    inline: [...scopes.filter(([scope]) => scope.inManagedPolicy !== true).map(allow), ...denyStatements],
    managed: scopes.filter(([scope]) => scope.inManagedPolicy === true).map(allow),
  };
}

/**
 * The member role's inline policy: exactly the actions of core's registry (memberAccountActions()), each on the
 * resources of its scope (and of the scopes its scope names in `alsoAllowed`, one statement each), plus a Deny of
 * the role writes on protected roles; the statements of scopes marked `inManagedPolicy` are in
 * memberRoleManagedPolicyDocument instead (IAM caps a role's inline policies at 10,240 characters).
 * Throws UnscopedActionError when the registry holds an action that has no scope yet.
 */
export function memberRolePolicyDocument(
  responderRoleName: string,
  actions: readonly string[] = memberAccountActions(),
): PolicyDocument {
  return new PolicyDocument({ statements: memberRoleStatements(responderRoleName, actions).inline });
}

/** The member role's managed policy: the statements of the scopes marked `inManagedPolicy` (its deny is inline). */
export function memberRoleManagedPolicyDocument(
  responderRoleName: string,
  actions: readonly string[] = memberAccountActions(),
): PolicyDocument {
  return new PolicyDocument({ statements: memberRoleStatements(responderRoleName, actions).managed });
}
