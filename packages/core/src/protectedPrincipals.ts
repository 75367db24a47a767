import { parseIamPrincipalArn } from './parseIamPrincipalArn';

/**
 * Principals the responder must never freeze (domain.md §5): freezing them would break AWS services,
 * Identity Center, the responder itself or the organization's way back in. They are flagged for a person.
 */
export interface ProtectedPrincipalOptions {
  /** The responder role's name in member accounts (`RESPONDER_ROLE_NAME`). */
  readonly responderRoleName: string;
  /** Operator-listed ARN patterns (`PROTECTED_PRINCIPALS`); `*` matches any run of characters. */
  readonly patterns: readonly string[];
}

/**
 * Roles protected by name, with why. The member role's policy denies writes on the same names
 * (stacksets/member-role), so this list is the one source for both.
 */
export const PROTECTED_ROLE_NAMES: Readonly<Record<string, string>> = {
  OrganizationAccountAccessRole: "the organization's account access role",
  AWSControlTowerExecution: "Control Tower's account access role",
  AWSCloudFormationStackSetExecutionRole: 'a StackSet execution role',
  AWSCloudFormationStackSetAdministrationRole: 'a StackSet administration role',
};

/** Roles protected by the start of their name: service-managed StackSet execution roles. */
export const PROTECTED_ROLE_NAME_PREFIXES: Readonly<Record<string, string>> = {
  'stacksets-exec-': 'a StackSet execution role',
};

function patternToRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  // IAM names are unique regardless of case, so a break-glass pattern must not be dodged by case.
  return new RegExp(`^${escaped.join('.*')}$`, 'i');
}

/** True when the ARN matches the pattern (`*` matches any run of characters; case-insensitive, as IAM names are). */
export function matchesArnPattern(arn: string, pattern: string): boolean {
  return patternToRegExp(pattern).test(arn);
}

/** Why the principal must not be frozen, or null when it may be. */
export function protectedPrincipalReason(principalArn: string, options: ProtectedPrincipalOptions): string | null {
  const principal = parseIamPrincipalArn(principalArn);
  if (principal?.kind === 'role') {
    if (principal.path.startsWith('/aws-service-role/')) return 'a service-linked role (AWS manages it)';
    if (principal.path.startsWith('/aws-reserved/') || principal.name.startsWith('AWSReservedSSO_')) {
      return 'an IAM Identity Center role (revoke access in Identity Center)';
    }
    if (principal.name.toLowerCase() === options.responderRoleName.toLowerCase()) return "the responder's own role";
    const byName = PROTECTED_ROLE_NAMES[principal.name];
    if (byName !== undefined) return byName;
    const prefix = Object.keys(PROTECTED_ROLE_NAME_PREFIXES).find((start) => principal.name.startsWith(start));
    if (prefix !== undefined) return PROTECTED_ROLE_NAME_PREFIXES[prefix] ?? null;
  }
  const pattern = options.patterns.find((candidate) => matchesArnPattern(principalArn, candidate));
  if (pattern !== undefined) return `listed as protected by the operator (${pattern})`;
  return null;
}
