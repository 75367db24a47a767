import { type Actor, heldBack, type ResponseModeDecision, stepRunsIn, wouldDo } from '@cryptominer-defense/core';
import { decidedRecord } from '../runAction';
import type { FreezeResult } from '../steps/freezeActor';
import { subjectOfFinding } from './reportsWithoutResponse';
import type { InstanceFinding, MemberAccount, ResponseEngineDependencies } from './responseTypes';

/** Freezes who launched the instance, when the mode runs the freeze step; else records what it would do. */
export async function freezeIfAllowed(
  { clients, steps }: MemberAccount,
  actor: Actor,
  finding: InstanceFinding,
  mode: ResponseModeDecision,
  completed: ReadonlySet<string>,
  dependencies: ResponseEngineDependencies,
  now: () => Date,
): Promise<FreezeResult> {
  if (completed.has('freezeUser') || completed.has('freezeRole')) return { records: [], user: null, role: null };
  const freezable = (actor.type === 'IAMUser' || actor.type === 'AssumedRole') && actor.principalArn !== null;
  const step = actor.type === 'IAMUser' ? 'freezeUser' : 'freezeRole';
  if (freezable && !stepRunsIn(step, mode.mode)) {
    const would = wouldDo(step, { ...subjectOfFinding(finding), launcherArn: actor.principalArn }) ?? '';
    const record = decidedRecord({ step, target: actor.principalArn ?? '' }, heldBack(mode.mode, would), now);
    return { records: [record], user: null, role: null };
  }
  const { configuration } = dependencies;
  return steps.freezeActor(
    clients.iam,
    actor,
    {
      accountId: finding.accountId,
      protection: {
        responderRoleName: configuration.responderRoleName,
        patterns: configuration.protectedPrincipalPatterns,
      },
    },
    now,
  );
}
