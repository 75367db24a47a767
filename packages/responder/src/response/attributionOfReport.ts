import {
  type AttributionSettings,
  actorOfReport,
  decideWhomToFreeze,
  type FreezeDecision,
  type IncidentReport,
} from '@cryptominer-defense/core';
import type { Attribution } from './attributeInstance';

/**
 * An earlier delivery's attribution, reused as is: its actor and chain, and the decision it recorded. A report
 * written before decisions were recorded (schema 2.3 and older) named the person it froze: decided again as a
 * direct launch by that actor, which is what those versions did.
 */
export function attributionOfReport(previous: IncidentReport, settings: AttributionSettings): Attribution {
  const actor = actorOfReport(previous);
  const recorded = previous.freezeDecision;
  const decision: FreezeDecision =
    recorded === undefined
      ? decideWhomToFreeze({
          launcher: actor,
          origin: { kind: 'direct' },
          requester: null,
          launchTime: null,
          firstSeen: null,
          instanceId: previous.instanceId ?? '',
          settings,
        })
      : fromRecorded(recorded, actor);
  return {
    records: [],
    actor,
    chain: previous.attributionChain,
    decision,
    launchedBy: recorded?.launchedBy ?? 'a direct RunInstances call',
  };
}

function fromRecorded(
  recorded: NonNullable<IncidentReport['freezeDecision']>,
  actor: Attribution['actor'],
): FreezeDecision {
  switch (recorded.kind) {
    case 'freeze':
      return { kind: 'freeze', actor, reason: recorded.reason };
    case 'contain-launching-instance':
      return recorded.linkedInstanceId === null
        ? { kind: 'freeze-nobody', reason: recorded.reason }
        : { kind: 'contain-launching-instance', instanceId: recorded.linkedInstanceId, actor, reason: recorded.reason };
    case 'freeze-nobody':
      return { kind: 'freeze-nobody', reason: recorded.reason };
  }
}
