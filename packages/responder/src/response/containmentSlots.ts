import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import {
  type ContainmentScope,
  containmentSlotKey,
  containmentSlotsPrefix,
  freeSlotsInClaimOrder,
  MAX_CONTAINMENT_CAP,
  slotOfKey,
} from '@cryptominer-defense/core';
import { putJsonIfAbsent, type StateBucket } from '../state/conditionalWrites';

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
export type SlotAnswer = { readonly kind: 'claimed'; readonly key: string } | { readonly kind: 'full' };

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
 * Takes a free slot of the scope's hour, from the finding's own place among the free ones (freeSlotsInClaimOrder):
 * a conditional PutObject (If-None-Match: *), as the idempotency lock (findingLedger.ts); of two claims of one slot
 * exactly one succeeds, the other gets 412 PreconditionFailed (409 ConditionalRequestConflict while the other write
 * is in flight) and tries the next free slot. Slots are never deleted, so a claim that saw k taken never needs k
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
  for (const slot of freeSlotsInClaimOrder(claim.taken, claim.cap, claim.holder.findingId)) {
    const key = containmentSlotKey(claim.scope, claim.hour, slot);
    if (await putJsonIfAbsent(s3, where, key, claim.holder)) return { kind: 'claimed', key };
  }
  return { kind: 'full' };
}
