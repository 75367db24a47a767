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
  const { configuration } = dependencies;
  const context = {
    accountId: finding.accountId,
    protection: {
      responderRoleName: configuration.responderRoleName,
      patterns: configuration.protectedPrincipalPatterns,
    },
  };
  const target = steps.freezeTargetOf(actor, context, now);
  if (target.kind === 'principal' && !stepRunsIn(target.step, mode.mode)) {
    const would = wouldDo(target.step, { ...subjectOfFinding(finding), launcherArn: target.target }) ?? '';
    const record = decidedRecord({ step: target.step, target: target.target }, heldBack(mode.mode, would), now);
    return { records: [record], user: null, role: null };
  }
  return steps.freezeActor(clients.iam, actor, context, now);
}
