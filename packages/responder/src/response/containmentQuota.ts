import {
  alreadyDone,
  type ContainmentScope,
  capReachedReason,
  containmentHour,
  containmentSlotsPrefix,
  firstFreeSlot,
  type IncidentReport,
  isEffective,
  policyMayAct,
  type ResponseModeDecision,
  type StepRecord,
  succeeded,
  toStepRecord,
} from '@cryptominer-defense/core';
import { decidedRecord, runAction } from '../runAction';
import { claimFreeSlot, type SlotAnswer, takenSlots } from './containmentSlots';
import type { InstanceFinding, ResponseEngineDependencies } from './responseTypes';
import { claimSlotsAhead, type SlotClaimedAhead } from './slotsClaimedAhead';

const STEP = 'claimContainmentSlot';

/** What the response knows before it acts: whether it may (null: it changes nothing), and what its mode is so far. */
export interface QuotaFacts {
  /** Admitted, an ACTIVE member, the role assumed: the earlier delivery's report; null when nothing will be changed. */
  readonly mayAct: Promise<{ readonly previous: IncidentReport | null } | null>;
  /** The mode before the instance's tags (which may only raise it): not observe means a slot is needed for sure. */
  readonly accountMode: Promise<ResponseModeDecision>;
  /**
   * The account is an ACTIVE member and its mode is not observe: a slot may be claimed ahead of the lock's answer
   * (slotsClaimedAhead.ts) when the container's outlook allows it.
   */
  readonly mayClaimAhead: Promise<boolean>;
}

/** The mode as the cap allows it, and the records of the claim (none when nothing was claimed). */
export interface BoundMode {
  readonly mode: ResponseModeDecision;
  readonly records: readonly StepRecord[];
}

export interface ContainmentQuota {
  /** The policy's mode, or observe when a cap is reached or a slot could not be claimed (fail safe). */
  bound(policyMode: ResponseModeDecision): Promise<BoundMode>;
  /** Every call the quota started has ended (for the ways out that never ask for the mode). */
  settled(): Promise<void>;
}

interface Claimed {
  readonly records: readonly StepRecord[];
  /** Why the response stays in observe; null: both slots are held. */
  readonly refusal: string | null;
}

const UNBOUND: ContainmentQuota = {
  bound: async (mode) => ({ mode, records: [] }),
  settled: async () => undefined,
};

/**
 * The blast-radius cap (docs/decisions/0019): an instance is contained only with a slot of its account's hour and one
 * of the organization's, the instance's own place first (a place its other finding holds is its own). A warm
 * container that listed the hour claims both beside the idempotency lock (slotsClaimedAhead.ts), so the cap adds no
 * dependent round trip; otherwise the slots are listed beside the guard reads and claimed as soon as the response may
 * act and its account's mode is contain or full (tags can only raise it), beside the instance read; when only a tag
 * raises the mode, the claim waits for the tags (one round trip more, and never a slot taken for an observe). A
 * repeated delivery keeps the slots its finding holds.
 */
export function startContainmentQuota(
  dependencies: ResponseEngineDependencies,
  finding: InstanceFinding,
  facts: QuotaFacts,
  now: () => Date,
): ContainmentQuota {
  const { configuration } = dependencies;
  if (!policyMayAct(configuration.responsePolicy)) return UNBOUND;
  const s3 = dependencies.clients.central.s3;
  const bucket = { bucket: configuration.reportBucket, kmsKeyId: configuration.reportKmsKeyId };
  const hour = containmentHour(now());
  const { perAccountPerHour, perOrganizationPerHour } = configuration.containmentCap;
  const scopes: readonly { readonly scope: ContainmentScope; readonly cap: number }[] = [
    { scope: { kind: 'account', accountId: finding.accountId }, cap: perAccountPerHour },
    { scope: { kind: 'organization' }, cap: perOrganizationPerHour },
  ];
  const outlook = dependencies.slotOutlook;
  const listings = scopes.map(({ scope }) =>
    runAction<ReadonlySet<number> | null>(
      { step: STEP, action: scope.kind, target: containmentSlotsPrefix(scope, hour) },
      async () => {
        const prefix = containmentSlotsPrefix(scope, hour);
        const list = () => takenSlots(s3, bucket, scope, hour);
        const shared = dependencies.readsInFlight;
        // A burst's claims share one listing on the wire: a hint of what is taken, the writes decide.
        const taken = await (shared === undefined ? list() : shared(`slots/${prefix}`, list));
        outlook?.learn(prefix, taken);
        return { result: succeeded, value: taken };
      },
      null,
      now,
    ),
  );
  const holder = {
    findingId: finding.findingId,
    accountId: finding.accountId,
    instanceId: finding.instanceId,
    claimedAt: now().toISOString(),
  };
  // A warm container asks for its slots beside the lock (slotsClaimedAhead.ts); a cold one lists first.
  const ahead: Promise<readonly SlotClaimedAhead[] | null> = facts.mayClaimAhead.then((may) =>
    may && outlook !== undefined ? claimSlotsAhead(s3, bucket, outlook, { scopes, hour, holder, now }) : null,
  );

  async function claimSlots(previous: IncidentReport | null): Promise<Claimed> {
    const claimedAhead = await ahead;
    const aheadOf = (index: number) => claimedAhead?.[index];
    const heldEarlier = scopes.map(({ scope }) => heldBy(previous, scope.kind));
    for (const [index, claimed] of (claimedAhead ?? []).entries()) {
      if (claimed.claimed && heldEarlier[index] !== null) unneeded(claimed, 'an earlier delivery holds one');
    }
    const settledWithoutListing = scopes.every(
      (_scope, index) => heldEarlier[index] !== null || aheadOf(index)?.claimed === true,
    );
    const listed = settledWithoutListing ? [] : await Promise.all(listings);
    const takenOf = (index: number): ReadonlySet<number> | null | undefined => {
      const taken = listed[index]?.value;
      const foundTaken = aheadOf(index);
      return taken !== null && taken !== undefined && foundTaken?.foundTaken === true
        ? new Set([...taken, foundTaken.slot])
        : taken;
    };
    const full = (index: number) => {
      const taken = takenOf(index);
      const cap = scopes[index]?.cap ?? 0;
      return taken !== null && taken !== undefined && firstFreeSlot(taken, cap) === null;
    };
    const recordOf = async (index: number): Promise<StepRecord | null> => {
      const scope = scopes[index];
      if (scope === undefined) return null;
      const where = { step: STEP, action: scope.scope.kind } as const;
      const held = heldEarlier[index] ?? null;
      if (held !== null) {
        return decidedRecord({ ...where, target: held }, alreadyDone('held by an earlier delivery'), now);
      }
      const claimed = aheadOf(index);
      if (claimed?.claimed === true) {
        return toStepRecord({ ...where, target: claimed.key }, succeeded, claimed.startedAt, claimed.endedAt);
      }
      const listing = listed[index];
      const taken = takenOf(index);
      if (listing === undefined || taken === null || taken === undefined) return listing?.record ?? null;
      return claimListed(scope.scope, scope.cap, taken);
    };
    // A scope unreadable or listed full is asked first: when it refuses, no slot of the other is taken for nothing.
    // (Listed full is not refused for sure: the instance's place may hold its other finding's slot, which is its own.)
    const doubtful = (index: number) =>
      heldEarlier[index] === null && aheadOf(index)?.claimed !== true && (takenOf(index) === null || full(index));
    const indices = scopes.map((_scope, index) => index);
    const first = await Promise.all(indices.map((index) => (doubtful(index) ? recordOf(index) : null)));
    const refused = first.some((record) => record !== null && !isEffective(record));
    const outcomes = await Promise.all(
      indices.map((index) => {
        if (doubtful(index)) return first[index] ?? null;
        const committed = heldEarlier[index] !== null || aheadOf(index)?.claimed === true;
        return refused && !committed ? null : recordOf(index);
      }),
    );
    const records = outcomes.flatMap((record) => (record === null ? [] : [record]));
    return { records, refusal: refusalOf(records) };
  }

  /** Claims a free slot of a listed scope (containmentSlots.ts): the record names the slot, or the prefix when full. */
  async function claimListed(scope: ContainmentScope, cap: number, taken: ReadonlySet<number>): Promise<StepRecord> {
    const where = { step: STEP, action: scope.kind } as const;
    const claimed = await runAction<SlotAnswer | null>(
      where,
      async () => {
        const answer = await claimFreeSlot(s3, bucket, { scope, hour, cap, taken, holder });
        return {
          result:
            answer.kind === 'claimed'
              ? succeeded
              : {
                  status: 'skipped',
                  reason: capReachedReason(scope, cap),
                  wouldDo: `take one of the ${cap} slots of ${containmentSlotsPrefix(scope, hour)} and contain`,
                },
          value: answer,
        };
      },
      null,
      now,
    );
    if (claimed.value?.kind === 'claimed') outlook?.learn(containmentSlotsPrefix(scope, hour), [claimed.value.slot]);
    const key = claimed.value?.kind === 'claimed' ? claimed.value.key : containmentSlotsPrefix(scope, hour);
    return { ...claimed.record, target: key };
  }

  /** A slot claimed ahead that the response does not use counts against the hour's cap (never beyond it): logged. */
  function unneeded(claimed: SlotClaimedAhead, why: string): void {
    dependencies.logger.warn('A containment slot claimed ahead of the admission was not needed: it counts this hour.', {
      findingId: finding.findingId,
      slot: claimed.key,
      why,
    });
  }

  let claiming: Promise<Claimed> | null = null;
  const claim = (previous: IncidentReport | null) => {
    claiming ??= claimSlots(previous);
    return claiming;
  };
  const early = Promise.all([facts.mayAct, facts.accountMode]).then(async ([mayAct, accountMode]) => {
    if (mayAct !== null && accountMode.mode !== 'observe') return claim(mayAct.previous);
    for (const claimed of (await ahead) ?? []) if (claimed.claimed) unneeded(claimed, 'the response may not act');
    return null;
  });

  return {
    async bound(policyMode) {
      if (policyMode.mode === 'observe') return { mode: policyMode, records: [] };
      const mayAct = await facts.mayAct;
      const claimed = (await early) ?? (await claim(mayAct?.previous ?? null));
      if (claimed.refusal === null) return { mode: policyMode, records: claimed.records };
      return {
        mode: {
          mode: 'observe',
          reason: `${claimed.refusal}; the response policy chose ${policyMode.mode} (${policyMode.reason})`,
        },
        records: claimed.records,
      };
    },
    async settled() {
      await Promise.allSettled([...listings, ahead, early]);
    },
  };
}

/** The slot of the scope an earlier delivery of this finding holds (its key), so that a repeat takes no second one. */
function heldBy(previous: IncidentReport | null, kind: ContainmentScope['kind']): string | null {
  const record = previous?.steps.find(
    (candidate) => candidate.step === STEP && candidate.action === kind && isEffective(candidate),
  );
  return record?.target ?? null;
}

/** Why the response stays in observe: a claim that failed (fail safe) first, then a cap reached. */
function refusalOf(records: readonly StepRecord[]): string | null {
  for (const record of records) {
    if (record.status === 'failed') {
      return `could not claim a containment slot (${record.errorCode}): observe, to fail safe`;
    }
  }
  for (const record of records) if (record.status === 'skipped') return record.reason;
  return null;
}
