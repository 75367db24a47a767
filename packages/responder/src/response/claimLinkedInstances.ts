import {
  alreadyDone,
  instanceClaimKey,
  type LinkedInstance,
  linkedInstanceFindingId,
  type StepRecord,
  skipped,
  succeeded,
} from '@cryptominer-defense/core';
import { runAction } from '../runAction';
import type { InstanceClaim, InstanceClaims } from '../state/instanceClaims';

/** The planned instances with what their claims answered, and the claims' records. */
export interface ClaimedLinkedInstances {
  readonly linkedInstances: readonly LinkedInstance[];
  readonly records: readonly StepRecord[];
}

const WAITING: ReadonlySet<LinkedInstance['action']> = new Set(['contain', 'not contained: maximum reached']);

/**
 * Claims the instances the plan contains for their linked incidents (`<findingId>/linked/<i-…>`), before the report
 * that lists them is written, so that it says who answers each: an instance another finding's response holds (its own
 * finding, or another finding's linked incident) is `answered by its own incident`, with that finding's id, and its
 * place goes to the next instance the maximum had left out, so that the maximum counts instances this finding
 * answers. A claim that cannot be written stays `contain` (its linked incident claims again, and acts). Off the
 * isolation path: the finding's own instance is contained meanwhile.
 */
export async function claimLinkedInstances(
  claims: InstanceClaims,
  planned: readonly LinkedInstance[],
  finding: { readonly findingId: string; readonly accountId: string },
  now: () => Date,
): Promise<ClaimedLinkedInstances> {
  const result = [...planned];
  const records: StepRecord[] = [];
  const waiting = planned.flatMap((instance, index) => (WAITING.has(instance.action) ? [index] : []));
  let places = planned.filter((instance) => instance.action === 'contain').length;
  let next = 0;
  while (places > 0 && next < waiting.length) {
    const batch = waiting.slice(next, next + places);
    next += batch.length;
    const answers = await Promise.all(
      batch.map((index) => claimOne(claims, planned[index] as LinkedInstance, finding, now)),
    );
    batch.forEach((index, position) => {
      const answer = answers[position];
      const instance = planned[index] as LinkedInstance;
      if (answer === undefined) return;
      records.push(answer.record);
      const holder = answer.value?.kind === 'answered' ? answer.value.holder.findingId : null;
      if (holder === null) {
        result[index] = { ...instance, action: 'contain' };
        places -= 1;
      } else {
        result[index] = { ...instance, action: 'answered by its own incident', answeredBy: holder };
      }
    });
  }
  for (const index of waiting.slice(next)) {
    result[index] = { ...(planned[index] as LinkedInstance), action: 'not contained: maximum reached' };
  }
  return { linkedInstances: result, records };
}

function claimOne(
  claims: InstanceClaims,
  instance: LinkedInstance,
  finding: { readonly findingId: string; readonly accountId: string },
  now: () => Date,
) {
  const target = { accountId: finding.accountId, region: instance.region, instanceId: instance.instanceId };
  return runAction<InstanceClaim | null>(
    { step: 'claimInstance', action: 'linkedInstance', target: instanceClaimKey(target) ?? instance.instanceId },
    async () => {
      const claim = await claims.claim(target, linkedInstanceFindingId(finding.findingId, instance.instanceId));
      switch (claim.kind) {
        case 'held':
          return {
            result: claim.since === null ? succeeded : alreadyDone('held for this linked incident'),
            value: claim,
          };
        case 'answered':
          return {
            result: alreadyDone(
              `held by finding ${claim.holder.findingId} since ${claim.holder.claimedAt}: that incident answers it`,
            ),
            value: claim,
          };
        case 'taken-over':
          return { result: skipped(claim.reason), value: claim };
        case 'unclaimable':
          return { result: skipped('not well formed: no claim can name it'), value: claim };
      }
    },
    null,
    now,
  );
}
