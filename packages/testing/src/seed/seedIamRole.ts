import { CreateRoleCommand, type IAMClient } from '@aws-sdk/client-iam';
import { requireValue } from './requireValue';

/** An IAM policy document, as JSON-compatible data. */
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly Record<string, unknown>[];
}

export interface SeedIamRoleOptions {
  readonly roleName: string;
  readonly trustPolicy: PolicyDocument;
  /** Default `/`. */
  readonly path?: string;
}

export interface SeededIamRole {
  readonly roleName: string;
  readonly arn: string;
  /** The trust policy as created, to compare with what a test finds afterwards. */
  readonly trustPolicy: PolicyDocument;
}

/** A trust policy that lets principals of `accountId` assume the role. */
export function trustAccount(accountId: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' }],
  };
}

/** A trust policy that lets an AWS service assume the role. */
export function trustService(servicePrincipal: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: servicePrincipal }, Action: 'sts:AssumeRole' }],
  };
}

export async function seedIamRole(iam: IAMClient, options: SeedIamRoleOptions): Promise<SeededIamRole> {
  const created = await iam.send(
    new CreateRoleCommand({
      RoleName: options.roleName,
      Path: options.path ?? '/',
      AssumeRolePolicyDocument: JSON.stringify(options.trustPolicy),
    }),
  );
  return {
    roleName: options.roleName,
    arn: requireValue(created.Role?.Arn, 'role ARN'),
    trustPolicy: options.trustPolicy,
  };
}
