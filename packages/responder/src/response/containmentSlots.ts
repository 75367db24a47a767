import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import {
  type ContainmentScope,
  containmentSlotKey,
  containmentSlotsPrefix,
  freeSlotsInClaimOrder,
  instancePlaceInSlots,
  MAX_CONTAINMENT_CAP,
  slotOfKey,
} from '@cryptominer-defense/core';
import { putJsonIfAbsent, readJsonObject, type StateBucket } from '../state/conditionalWrites';

/** Where the slots are kept: the report bucket, with the report key. */
export type SlotBucket = StateBucket;

/** What a slot says of its holder: who took it, for a person reading the bucket (the report holds the key too). */
export interface SlotHolder {
  readonly findingId: string;
  readonly accountId: string;
  readonly instanceId: string;
  readonly claimedAt: string;
}

/** The answer of one scope: the slot taken (its key), or every slot up to the cap is taken. */
export type SlotAnswer =
  | { readonly kind: 'claimed'; readonly slot: number; readonly key: string }
  | { readonly kind: 'full' };

/** The slots of one scope and hour that are taken, by one listing (a cap is at most one page, 1,000 keys). */
export async function takenSlots(
  s3: S3Client,
  where: SlotBucket,
  scope: ContainmentScope,
  hour: string,
): Promise<ReadonlySet<number>> {
  const listed = await s3.send(
    new ListObjectsV2Command({
      Bucket: where.bucket,
      Prefix: containmentSlotsPrefix(scope, hour),
      MaxKeys: MAX_CONTAINMENT_CAP,
    }),
  );
  return new Set((listed.Contents ?? []).flatMap((object) => slotOfKey(object.Key ?? '') ?? []));
}

/**
 * Takes a slot of the scope's hour for the instance: its place first (instancePlaceInSlots), which is the instance's
 * already when another finding of it took it (ahead of its admission, then answered elsewhere: the slot counts the
 * instance once); then a free one from the finding's own place among the free ones (freeSlotsInClaimOrder). Each
 * write is a conditional PutObject (If-None-Match: *), as the idempotency lock (findingLedger.ts): of two claims of
 * one slot exactly one succeeds, the other gets 412 PreconditionFailed (409 ConditionalRequestConflict while the other
 * write is in flight) and tries the next free slot. Slots are never deleted, so a claim that saw k taken never needs k
 * again, and each free slot is tried once. Any other error is thrown: the caller fails safe.
 */
export async function claimFreeSlot(
  s3: S3Client,
  where: SlotBucket,
  claim: {
    readonly scope: ContainmentScope;
    readonly hour: string;
    readonly cap: number;
    readonly taken: ReadonlySet<number>;
    readonly holder: SlotHolder;
  },
): Promise<SlotAnswer> {
  const place = instancePlaceInSlots(claim.holder, claim.cap);
  const placeKey = containmentSlotKey(claim.scope, claim.hour, place);
  const placeFree = !claim.taken.has(place) && (await putJsonIfAbsent(s3, where, placeKey, claim.holder));
  if (placeFree) return { kind: 'claimed', slot: place, key: placeKey };
  if (holdsSameInstance(await readJsonObject(s3, where.bucket, placeKey), claim.holder)) {
    return { kind: 'claimed', slot: place, key: placeKey };
  }
  const taken = new Set([...claim.taken, place]);
  for (const slot of freeSlotsInClaimOrder(taken, claim.cap, claim.holder.findingId)) {
    const key = containmentSlotKey(claim.scope, claim.hour, slot);
    if (await putJsonIfAbsent(s3, where, key, claim.holder)) return { kind: 'claimed', slot, key };
  }
  return { kind: 'full' };
}

/** Whether a slot's object names the same instance of the same account (whichever finding took it). */
function holdsSameInstance(body: unknown, holder: SlotHolder): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const held = body as Partial<Record<keyof SlotHolder, unknown>>;
  return held.accountId === holder.accountId && held.instanceId === holder.instanceId;
}
