import { type ActionScope, GROUP_PURPOSES, memberActionScopes, PURPOSE_TAG_KEY } from '@cryptominer-defense/core';
import { Aws } from 'aws-cdk-lib';

export type { ActionScope };

/**
 * Where each engine action may act, in a member account: core's registry names the scope of every action a step
 * calls (packages/core/src/responseSteps.ts); this is that table, keyed by action. A registry action missing here
 * is impossible by construction; a caller that asks for another action gets UnscopedActionError.
 */
export const MEMBER_ACTION_SCOPES: Readonly<Record<string, ActionScope>> = Object.fromEntries(memberActionScopes());

/** A scope's resource in the account the StackSet deploys to: `{partition}` and `{account}` become pseudo parameters. */
export function inThisAccount(resource: string): string {
  return resource.replaceAll('{partition}', Aws.PARTITION).replaceAll('{account}', Aws.ACCOUNT_ID);
}

/** A scope's conditions in this account: every value's placeholders replaced as in its resources. */
export function conditionsInThisAccount(
  conditions: NonNullable<ActionScope['conditions']>,
): Record<string, Record<string, string | string[]>> {
  return Object.fromEntries(
    Object.entries(conditions).map(([operator, keys]) => [
      operator,
      Object.fromEntries(
        Object.entries(keys).map(([key, value]) => [
          key,
          typeof value === 'string' ? inThisAccount(value) : value.map(inThisAccount),
        ]),
      ),
    ]),
  );
}

/**
 * The tag that marks an isolation group (core's, which the engine sets; a test in apps/central keeps the responder's
 * equal to it). The role may set this tag, to this value, on security groups, and no other tag anywhere.
 */
export const ISOLATION_GROUP_TAG = { key: PURPOSE_TAG_KEY, value: GROUP_PURPOSES.isolation } as const;
