import { FINDING_STATE_PREFIX } from './findingStateKeys';
import { stablePosition } from './stablePosition';

/**
 * Where the blast-radius cap keeps its slots (docs/decisions/0019), beside the findings' state: one object per
 * instance contained in an hour, `slot-<k>.json` for k = 1..cap, each created with If-None-Match: * so that of two
 * claims of one slot exactly one succeeds. A GuardDuty finding id is hexadecimal: none is `quota`.
 */
export const CONTAINMENT_QUOTA_PREFIX = `${FINDING_STATE_PREFIX}quota/`;

/** What a cap counts: one account's containments, or the whole organization's. */
export type ContainmentScope =
  | { readonly kind: 'account'; readonly accountId: string }
  | { readonly kind: 'organization' };

/** The hour a containment counts in, UTC: `yyyy-mm-ddThh` (2026-12-02T13). */
export function containmentHour(at: Date): string {
  return at.toISOString().slice(0, 13);
}

/** The prefix of one scope's slots in one hour (listed to find the first free slot). */
export function containmentSlotsPrefix(scope: ContainmentScope, hour: string): string {
  const where = scope.kind === 'account' ? `account/${scope.accountId}` : 'organization';
  return `${CONTAINMENT_QUOTA_PREFIX}${where}/${hour}/`;
}

/** The k-th slot (1 = the first) of a scope in an hour. */
export function containmentSlotKey(scope: ContainmentScope, hour: string, slot: number): string {
  return `${containmentSlotsPrefix(scope, hour)}slot-${String(slot).padStart(4, '0')}.json`;
}

/** The slot number of a listed key; null for a key this tool did not write. */
export function slotOfKey(key: string): number | null {
  const match = /\/slot-(\d{4})\.json$/.exec(key);
  return match?.[1] === undefined ? null : Number(match[1]);
}

/** The lowest slot from `from` up to the cap that is not taken; null when every one is. */
export function firstFreeSlot(taken: ReadonlySet<number>, cap: number, from = 1): number | null {
  for (let slot = Math.max(1, from); slot <= cap; slot++) if (!taken.has(slot)) return slot;
  return null;
}

/**
 * The instance's own place among a scope's slots, 1..cap. From the instance (not the finding), so that every claim for
 * one instance asks for the same slot first: GuardDuty raises several types for one miner, and a linked incident
 * (decision 0023) claims an instance its own finding may claim too. Within an hour a slot only ever fills, so once one
 * claim for the instance has tried its place, any later one finds it taken (containmentQuota.ts claims it ahead of the
 * admission on that ground).
 */
export function instancePlaceInSlots(
  instance: { readonly accountId: string; readonly instanceId: string },
  cap: number,
) {
  return 1 + stablePosition(`${instance.accountId}/${instance.instanceId}`, cap);
}

/**
 * Every free slot up to the cap, in the order a claim tries them: from the claimant's own place (from its finding
 * id), wrapping around. Concurrent claims of one hour then ask for different slots, instead of all asking for the
 * first free one and all but one trying again (a burst of N findings made about N² conditional writes, on the way to
 * isolation). Which slot a finding holds does not matter; that at most `cap` are held does. The instance's own
 * place (instancePlaceInSlots) is tried before these, by the caller.
 */
export function freeSlotsInClaimOrder(taken: ReadonlySet<number>, cap: number, claimant: string): readonly number[] {
  const free: number[] = [];
  for (let slot = 1; slot <= cap; slot++) if (!taken.has(slot)) free.push(slot);
  const start = stablePosition(claimant, free.length);
  return [...free.slice(start), ...free.slice(0, start)];
}

/** The name of the setting that caps a scope (the report's reason names it). */
export function containmentCapVariable(scope: ContainmentScope): string {
  return scope.kind === 'account'
    ? 'CONTAINMENT_CAP_PER_ACCOUNT_PER_HOUR'
    : 'CONTAINMENT_CAP_PER_ORGANIZATION_PER_HOUR';
}

/** Why a finding is answered in observe mode when a scope's slots are all taken. */
export function capReachedReason(scope: ContainmentScope, cap: number): string {
  const where = scope.kind === 'account' ? `in account ${scope.accountId}` : 'in the organization';
  return `cap reached: ${cap} instances contained ${where} this hour (${containmentCapVariable(scope)})`;
}
