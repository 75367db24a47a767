import { PROTECTED_ROLE_NAME_PREFIXES, PROTECTED_ROLE_NAMES } from '@cryptominer-defense/core';
import { Aws } from 'aws-cdk-lib';

/**
 * Roles the responder must never rewrite (domain.md §5). The engine already refuses to freeze them
 * (core's protectedPrincipals.ts); the member role denies the writes as well, so that a bug in the engine
 * cannot lock AWS services, Identity Center, the StackSet machinery or the responder itself out.
 * Each entry is an IAM resource pattern below `arn:<partition>:iam::<account>:role/`.
 */
export function protectedRoleResourcePatterns(responderRoleName: string): string[] {
  const patterns = [
    // Service-linked roles and IAM Identity Center roles, whatever their name.
    'aws-service-role/*',
    'aws-reserved/*',
    '*AWSReservedSSO_*',
    // Named roles (core's list, which the engine also refuses to freeze), at the root path or under any path.
    ...[
      responderRoleName,
      ...Object.keys(PROTECTED_ROLE_NAMES),
      ...Object.keys(PROTECTED_ROLE_NAME_PREFIXES).map((prefix) => `${prefix}*`),
    ].flatMap((name) => [name, `*/${name}`]),
  ];
  return patterns.map((pattern) => `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${pattern}`);
}
