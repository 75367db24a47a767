import type { S3Client } from '@aws-sdk/client-s3';
import {
  type ContainmentScope,
  containmentSlotKey,
  containmentSlotsPrefix,
  instancePlaceInSlots,
} from '@cryptominer-defense/core';
import { putJsonIfAbsent } from '../state/conditionalWrites';
import type { SlotBucket, SlotHolder } from './containmentSlots';
import type { SlotOutlook } from './slotOutlook';

/** One scope's slot, asked for ahead of the admission's answer. */
export interface SlotClaimedAhead {
  readonly slot: number;
  readonly key: string;
  /** The conditional write succeeded: the slot is this response's. */
  readonly claimed: boolean;
  /** The write answered 412/409: the slot is someone's (perhaps this instance's other finding's). */
  readonly foundTaken: boolean;
  readonly startedAt: Date;
  readonly endedAt: Date;
}

/**
 * Claims every scope's slot at the instance's place at once, beside the idempotency lock rather than after it and
 * the listing (a warm container's dependent round trip fewer on the way to isolation, docs/decisions/0019). Only
 * when the container's outlook has every scope of this hour listed with that place not seen taken; null otherwise
 * (a cold container lists first). A failed write is not a claim (the listing path tries again and records it).
 */
export function claimSlotsAhead(
  s3: S3Client,
  where: SlotBucket,
  outlook: SlotOutlook,
  claim: {
    readonly scopes: readonly { readonly scope: ContainmentScope; readonly cap: number }[];
    readonly hour: string;
    readonly holder: SlotHolder;
    readonly now: () => Date;
  },
): Promise<readonly SlotClaimedAhead[]> | null {
  const places = claim.scopes.map(({ scope, cap }) => ({
    scope,
    prefix: containmentSlotsPrefix(scope, claim.hour),
    slot: instancePlaceInSlots(claim.holder, cap),
  }));
  const reserved: typeof places = [];
  for (const place of places) {
    if (!outlook.tryAhead(place.prefix, place.slot)) {
      for (const held of reserved) outlook.settle(held.prefix, held.slot, false);
      return null;
    }
    reserved.push(place);
  }
  return Promise.all(
    places.map(async ({ scope, prefix, slot }): Promise<SlotClaimedAhead> => {
      const key = containmentSlotKey(scope, claim.hour, slot);
      const startedAt = claim.now();
      let claimed = false;
      let foundTaken = false;
      try {
        claimed = await putJsonIfAbsent(s3, where, key, claim.holder);
        foundTaken = !claimed;
      } catch {
        // Not known either way: the listing path asks again, and records the error if it repeats.
      }
      outlook.settle(prefix, slot, claimed || foundTaken);
      return { slot, key, claimed, foundTaken, startedAt, endedAt: claim.now() };
    }),
  );
}
