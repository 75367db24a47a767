/** The base of every error the member-role package throws: catch this to catch them all. */
export class MemberRoleError extends Error {
  override readonly name: string = 'MemberRoleError';
}

/**
 * The engine calls an action (listed in core's responseSteps.ts) that the member role has no resource scope for.
 * Thrown at synth time, so an unscoped action never reaches a template.
 */
export class UnscopedActionError extends MemberRoleError {
  override readonly name: string = 'UnscopedActionError';

  constructor(readonly actions: readonly string[]) {
    super(
      `No resource scope for ${actions.join(', ')}: add each action to MEMBER_ACTION_SCOPES in ` +
        'stacksets/member-role/src/memberActionScopes.ts, with the narrowest resources and conditions IAM allows.',
    );
  }
}
