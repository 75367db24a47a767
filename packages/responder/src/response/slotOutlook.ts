/**
 * What a container last knew of the blast-radius cap's slots, per scope and hour (a slots prefix): the slots it saw
 * taken. Within an hour slots are only ever added (never deleted by the responder), so what it saw taken stays taken;
 * what it saw free may have been taken since. It is a hint for claiming a slot ahead of the admission's answer
 * (containmentQuota.ts), never the count: the cap is held by the conditional writes alone, and a stale outlook costs
 * a failed write and the listing, not a slot too many.
 */
export interface SlotOutlook {
  /** Whether this container may try `slot` of `prefix` at once: it listed the prefix and did not see it taken, and no
   * other claim of this container is trying it. True reserves it until `settle`. */
  tryAhead(prefix: string, slot: number): boolean;
  /** Ends a reservation of `tryAhead`; the slot is known taken afterwards when `taken` (won, or found taken). */
  settle(prefix: string, slot: number, taken: boolean): void;
  /** Remembers the slots a listing of `prefix` found taken (and any this container knew of besides). */
  learn(prefix: string, taken: Iterable<number>): void;
}

/** How many scope-hours a container remembers: every account it answered in the last hours, and the organization. */
const REMEMBERED_PREFIXES = 512;

interface PrefixOutlook {
  readonly taken: Set<number>;
  readonly trying: Set<number>;
}

/** One outlook per container (createResponder), shared by its concurrent responses. */
export function createSlotOutlook(): SlotOutlook {
  // Insertion order is the age: an old hour's prefix is dropped first.
  const prefixes = new Map<string, PrefixOutlook>();
  return {
    tryAhead(prefix, slot) {
      const known = prefixes.get(prefix);
      if (known === undefined || known.taken.has(slot) || known.trying.has(slot)) return false;
      known.trying.add(slot);
      return true;
    },
    settle(prefix, slot, taken) {
      const known = prefixes.get(prefix);
      known?.trying.delete(slot);
      if (taken) known?.taken.add(slot);
    },
    learn(prefix, taken) {
      let known = prefixes.get(prefix);
      if (known === undefined) {
        known = { taken: new Set(), trying: new Set() };
        prefixes.set(prefix, known);
        for (const old of prefixes.keys()) {
          if (prefixes.size <= REMEMBERED_PREFIXES) break;
          prefixes.delete(old);
        }
      }
      for (const slot of taken) known.taken.add(slot);
    },
  };
}
