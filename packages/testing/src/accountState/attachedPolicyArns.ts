import { type IAMClient, ListAttachedRolePoliciesCommand, ListAttachedUserPoliciesCommand } from '@aws-sdk/client-iam';

/** The managed policies attached to a user or a role, by ARN (the freeze attaches AWSDenyAll). */
export async function attachedPolicyArns(
  iam: IAMClient,
  principal: { readonly userName: string } | { readonly roleName: string },
): Promise<string[]> {
  const listed =
    'userName' in principal
      ? await iam.send(new ListAttachedUserPoliciesCommand({ UserName: principal.userName }))
      : await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: principal.roleName }));
  return (listed.AttachedPolicies ?? []).map((policy) => policy.PolicyArn ?? '');
}

export const AWS_DENY_ALL_ARN = 'arn:aws:iam::aws:policy/AWSDenyAll';
