/**
 * Actions IAM does not authorize: no policy can allow or deny them (STS API Reference, GetCallerIdentity). A list of
 * the calls that need a permission leaves them out.
 */
export const ACTIONS_NO_POLICY_GOVERNS: readonly string[] = ['sts:GetCallerIdentity'];

/** The actions of `called` that a policy must allow (ACTIONS_NO_POLICY_GOVERNS left out). */
export function actionsNeedingPermission(called: readonly string[]): string[] {
  return called.filter((action) => !ACTIONS_NO_POLICY_GOVERNS.includes(action));
}
