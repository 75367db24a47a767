import { requestTagContext } from './requestInputs';

/** An IAM request of the table (authorizedRequestsOf.ts): IAM paths are not in the input, `/` stands for them. */
export interface IamRequest {
  readonly resource: string;
  readonly context: Record<string, string | string[]>;
  readonly derived: readonly string[];
}

/** The request IAM authorizes for an `iam:` action the engine calls, or undefined for any other action. */
export function iamRequestOf(
  action: string,
  input: Readonly<Record<string, unknown>>,
  partition: string,
  account: string,
): IamRequest | undefined {
  const arn = (type: 'user' | 'role' | 'instance-profile', name: unknown) =>
    `arn:${partition}:iam::${account}:${type}/${String(name)}`;
  const policyArn = { 'iam:PolicyARN': String(input.PolicyArn) };
  switch (action) {
    case 'iam:DeleteLoginProfile':
    case 'iam:ListAccessKeys':
    case 'iam:ListAttachedUserPolicies':
    case 'iam:PutUserPolicy':
    case 'iam:UpdateAccessKey':
    case 'iam:ListUserPolicies':
    case 'iam:DeleteUserPolicy':
      return { resource: arn('user', input.UserName), context: {}, derived: [] };
    case 'iam:AttachUserPolicy':
    case 'iam:DetachUserPolicy':
      return { resource: arn('user', input.UserName), context: policyArn, derived: [] };
    case 'iam:GetRole':
    case 'iam:ListRoleTags':
    case 'iam:ListAttachedRolePolicies':
    case 'iam:PutRolePolicy':
    case 'iam:UpdateAssumeRolePolicy':
    case 'iam:ListRolePolicies':
    case 'iam:DeleteRolePolicy':
    case 'iam:UntagRole':
      return { resource: arn('role', input.RoleName), context: {}, derived: [] };
    case 'iam:AttachRolePolicy':
    case 'iam:DetachRolePolicy':
      return { resource: arn('role', input.RoleName), context: policyArn, derived: [] };
    case 'iam:TagRole':
      // The slot written was empty at the call (the responder reads the tags first): no aws:ResourceTag for it.
      return {
        resource: arn('role', input.RoleName),
        context: requestTagContext(input.Tags),
        derived: ['the tag written was absent on the role'],
      };
    case 'iam:GetInstanceProfile':
      return { resource: arn('instance-profile', input.InstanceProfileName), context: {}, derived: [] };
    default:
      return undefined;
  }
}
