import type { IAMClient } from '@aws-sdk/client-iam';
import {
  type Actor,
  type ProtectedPrincipalOptions,
  parseIamPrincipalArn,
  protectedPrincipalReason,
  type RoleUndo,
  type StepRecord,
  skipped,
  type UserUndo,
} from '@cryptominer-defense/core';
import { decidedRecord } from '../runAction';
import { freezeRole } from './freezeRole';
import { freezeUser } from './freezeUser';

export interface FreezeResult {
  readonly records: readonly StepRecord[];
  readonly user: UserUndo | null;
  readonly role: RoleUndo | null;
}

const NOTHING: FreezeResult = { records: [], user: null, role: null };

/** Who may be frozen, and where: the affected account, and the principals never to freeze. */
export interface FreezeContext {
  readonly accountId: string;
  readonly protection: ProtectedPrincipalOptions;
}

/**
 * Why the actor is not frozen: null when there is nothing to freeze (root, an AWS service, unknown: the report asks
 * a person), a skipped record when it may not be (not an IAM ARN, another account, a protected principal), else
 * the principal to freeze. A mode that holds the freeze back asks it first, so that a principal nobody may freeze
 * is never left waiting for a person's approval.
 */
export function freezeTargetOf(
  actor: Actor,
  context: FreezeContext,
  now: () => Date = () => new Date(),
):
  | { readonly kind: 'nothing' }
  | { readonly kind: 'refused'; readonly record: StepRecord }
  | { readonly kind: 'principal'; readonly step: 'freezeUser' | 'freezeRole'; readonly target: string } {
  if ((actor.type !== 'IAMUser' && actor.type !== 'AssumedRole') || actor.principalArn === null) {
    return { kind: 'nothing' };
  }
  const step = actor.type === 'IAMUser' ? 'freezeUser' : 'freezeRole';
  const target = actor.principalArn;
  const refused = (reason: string) =>
    ({ kind: 'refused', record: decidedRecord({ step, target }, skipped(reason), now) }) as const;
  const principal = parseIamPrincipalArn(target);
  if (principal === null) return refused(`${target} is not an IAM user or role ARN`);
  if (principal.accountId !== context.accountId) {
    return refused(
      `the principal belongs to account ${principal.accountId}, not the affected account: freeze it there`,
    );
  }
  const protectedBecause = protectedPrincipalReason(target, context.protection);
  if (protectedBecause !== null) return refused(`protected principal, never frozen: ${protectedBecause}`);
  return { kind: 'principal', step, target };
}

/**
 * Freezes the identity that launched the instance, if it may be frozen. Root, AWS services and unknown
 * identities are not frozen (the report asks a person); protected principals and principals of another
 * account get a skipped record saying why.
 */
export async function freezeActor(
  iam: IAMClient,
  actor: Actor,
  context: FreezeContext,
  now: () => Date = () => new Date(),
): Promise<FreezeResult> {
  const target = freezeTargetOf(actor, context, now);
  if (target.kind === 'nothing') return NOTHING;
  if (target.kind === 'refused') return { ...NOTHING, records: [target.record] };
  const principal = parseIamPrincipalArn(target.target);
  if (principal?.kind === 'user') {
    const { records, undo } = await freezeUser(iam, { userName: principal.name, userArn: target.target });
    return { records, user: undo, role: null };
  }
  const roleName = principal?.name ?? '';
  const { records, undo } = await freezeRole(iam, { roleName, roleArn: target.target });
  return { records, user: null, role: undo };
}
