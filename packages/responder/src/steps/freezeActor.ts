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

/**
 * Freezes the identity that launched the instance, if it may be frozen. Root, AWS services and unknown
 * identities are not frozen (the report asks a person); protected principals and principals of another
 * account get a skipped record saying why.
 */
export async function freezeActor(
  iam: IAMClient,
  actor: Actor,
  context: { readonly accountId: string; readonly protection: ProtectedPrincipalOptions },
  now: () => Date = () => new Date(),
): Promise<FreezeResult> {
  if ((actor.type !== 'IAMUser' && actor.type !== 'AssumedRole') || actor.principalArn === null) return NOTHING;
  const step = actor.type === 'IAMUser' ? 'freezeUser' : 'freezeRole';
  const target = actor.principalArn;
  const principal = parseIamPrincipalArn(target);
  if (principal === null) {
    return {
      ...NOTHING,
      records: [decidedRecord({ step, target }, skipped(`${target} is not an IAM user or role ARN`), now)],
    };
  }
  if (principal.accountId !== context.accountId) {
    return {
      ...NOTHING,
      records: [
        decidedRecord(
          { step, target },
          skipped(`the principal belongs to account ${principal.accountId}, not the affected account: freeze it there`),
          now,
        ),
      ],
    };
  }
  const protectedBecause = protectedPrincipalReason(target, context.protection);
  if (protectedBecause !== null) {
    return {
      ...NOTHING,
      records: [
        decidedRecord({ step, target }, skipped(`protected principal, never frozen: ${protectedBecause}`), now),
      ],
    };
  }
  if (principal.kind === 'user') {
    const { records, undo } = await freezeUser(iam, { userName: principal.name, userArn: target });
    return { records, user: undo, role: null };
  }
  const { records, undo } = await freezeRole(iam, { roleName: principal.name, roleArn: target });
  return { records, user: null, role: undo };
}
