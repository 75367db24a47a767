import { heldBack, type ResponseModeDecision, skipped, stepRunsIn, wouldDo } from '@cryptominer-defense/core';
import { decidedRecord } from '../runAction';
import type { FreezeResult } from '../steps/freezeActor';
import type { Attribution } from './attributeInstance';
import { subjectOfFinding } from './reportsWithoutResponse';
import type { InstanceFinding, MemberAccount, ResponseEngineDependencies } from './responseTypes';

const NOTHING: FreezeResult = { records: [], user: null, role: null };

/**
 * Freezes whom the attribution decided, when the mode runs the freeze step; else records what it would do. An
 * identity the decision spares (a deployment identity, an old launch, a service's role, an instance's role) gets a
 * skipped freeze record with the reason, for a person to confirm; root, services and unknown launchers get none
 * (the report's reasons name them).
 */
export async function freezeIfAllowed(
  { clients, steps }: MemberAccount,
  { actor, decision }: Pick<Attribution, 'actor' | 'decision'>,
  finding: InstanceFinding,
  mode: ResponseModeDecision,
  completed: ReadonlySet<string>,
  dependencies: ResponseEngineDependencies,
  now: () => Date,
): Promise<FreezeResult> {
  if (completed.has('freezeUser') || completed.has('freezeRole')) return NOTHING;
  if (decision.kind !== 'freeze') {
    const identity = (actor.type === 'IAMUser' || actor.type === 'AssumedRole') && actor.principalArn !== null;
    if (!identity) return NOTHING;
    const step = actor.type === 'IAMUser' ? 'freezeUser' : 'freezeRole';
    const record = decidedRecord({ step, target: actor.principalArn ?? '' }, skipped(decision.reason), now);
    return { ...NOTHING, records: [record] };
  }
  const { configuration } = dependencies;
  const context = {
    accountId: finding.accountId,
    protection: {
      responderRoleName: configuration.responderRoleName,
      patterns: configuration.protectedPrincipalPatterns,
    },
  };
  // A principal nobody may freeze is refused now, never left waiting for a person's approval.
  const target = steps.freezeTargetOf(decision.actor, context, now);
  if (target.kind === 'principal' && !stepRunsIn(target.step, mode.mode)) {
    const would = wouldDo(target.step, { ...subjectOfFinding(finding), launcherArn: target.target }) ?? '';
    const record = decidedRecord({ step: target.step, target: target.target }, heldBack(mode.mode, would), now);
    return { ...NOTHING, records: [record] };
  }
  return steps.freezeActor(clients.iam, decision.actor, context, now);
}
