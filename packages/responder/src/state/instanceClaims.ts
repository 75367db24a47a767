import type { S3Client } from '@aws-sdk/client-s3';
import {
  type ClaimedInstance,
  findingStateKey,
  instanceClaimKey,
  isFindingStateId,
  isLinkedInstanceFindingId,
} from '@cryptominer-defense/core/cold-start';
import { CLAIM_LEASE_MS } from '../findingLedger';
import { putJsonIfAbsent, readJsonObject, type StateBucket } from './conditionalWrites';

/** What an instance's claim says: which finding's response answers it, since when. */
export interface InstanceHolder extends ClaimedInstance {
  readonly findingId: string;
  readonly claimedAt: string;
}

/** Whether this response answers the instance. */
export type InstanceClaim =
  /** This finding holds the claim: taken now, or by an earlier delivery of it (`since` its time). */
  | { readonly kind: 'held'; readonly key: string; readonly since: string | null }
  /** Another finding's response holds it: that one answers the instance. */
  | { readonly kind: 'answered'; readonly key: string; readonly holder: InstanceHolder }
  /**
   * Answered here although the claim is not this finding's: its holder left no report within the lease (its delivery
   * died), its report changed nothing (observe), or the claim could not be read. Acting twice is safe (every step
   * checks the state first); leaving the instance running because of a claim that contains nothing is not.
   */
  | { readonly kind: 'taken-over'; readonly key: string; readonly reason: string }
  /** No claim can name it (an instance id or region that is not well formed): answered without one. */
  | { readonly kind: 'unclaimable' };

export interface InstanceClaims {
  /**
   * Claims the instance for the finding. `expectHeld`: the caller expects the claim to exist already (a linked incident,
   * claimed for it when its finding listed the instance): the claim is read while it is written, in one round trip.
   * Throws on an S3 error other than the claim being held.
   */
  claim(
    instance: ClaimedInstance,
    findingId: string,
    options?: { readonly expectHeld?: boolean },
  ): Promise<InstanceClaim>;
}

function holderOf(value: unknown): InstanceHolder | null {
  if (typeof value !== 'object' || value === null) return null;
  const { findingId, claimedAt, accountId, region, instanceId } = value as Record<string, unknown>;
  if (typeof findingId !== 'string' || typeof claimedAt !== 'string') return null;
  if (typeof accountId !== 'string' || typeof region !== 'string' || typeof instanceId !== 'string') return null;
  return { findingId, claimedAt, accountId, region, instanceId };
}

/**
 * One claim per instance (docs/decisions/0023), `responder-state/instances/<account>/<region>/<instanceId>.json`,
 * written with If-None-Match: * (the idempotency lock's conditional write): whichever response reaches the instance
 * first answers it, whatever finding it comes from. The claim names the finding, so that finding's later deliveries
 * (GuardDuty's re-sends, the platform's retry of a delivery that died half-way) are let through and finish the job;
 * the others are answered by it. A holder that left no report (no state under its finding) a lease after its claim
 * died and was not retried, and one whose report changed nothing (observe) did not contain it: the instance is then
 * answered by whoever comes next (for an observed holder, a finding of the instance's own, not a linked incident),
 * so that a claim never leaves it running for good. Each claim that loses costs one
 * read of the claim and one of the holder's state.
 */
export function createInstanceClaims(
  s3: S3Client,
  where: StateBucket & { readonly leaseMs?: number; readonly now?: () => Date },
): InstanceClaims {
  const leaseMs = where.leaseMs ?? CLAIM_LEASE_MS;
  const now = where.now ?? (() => new Date());

  /**
   * Why the holder does not answer the instance, from its finding's state (what its last delivery reported); null
   * when it does, or is answering it now (no state yet, within the lease). A holder that changed nothing (observe:
   * the cap was reached, the switch paused, the policy observes) must not keep others from containing the instance
   * once they may: its claim still lets its own later deliveries through.
   */
  async function holderLeftIt(holder: InstanceHolder, claimer: string): Promise<string | null> {
    if (!isFindingStateId(holder.findingId)) return null;
    const state = await readJsonObject(s3, where.bucket, findingStateKey(holder.findingId));
    const claimed = `the instance was claimed by finding ${holder.findingId} at ${holder.claimedAt}`;
    if (state === undefined) {
      const claimedAt = Date.parse(holder.claimedAt);
      const died = Number.isFinite(claimedAt) && now().getTime() - claimedAt > leaseMs;
      return died ? `${claimed}, whose response left no report: answered here` : null;
    }
    const report = (state as { report?: { disposition?: unknown; responseMode?: { mode?: unknown } } } | null)?.report;
    const mode = report?.responseMode?.mode;
    if (report?.disposition === 'responded' && mode !== 'observe') return null;
    // A linked incident does not take over a holder that observed: what held that one back (the cap, the pause
    // switch, the policy) holds it back too, and every contained finding of one launcher would otherwise make a
    // linked incident, a report and an alert of each capped instance again (the cap test's burst: 8 to 15 alerts for
    // 7 capped instances). The holder's report asks a person; the instance's own finding, re-sent, still takes over.
    if (report?.disposition === 'responded' && isLinkedInstanceFindingId(claimer)) return null;
    return `${claimed}, whose response changed nothing (${String(report?.disposition)}, mode ${String(mode)}): answered here`;
  }

  return {
    async claim(instance, findingId, options = {}) {
      const key = instanceClaimKey(instance);
      if (key === null) return { kind: 'unclaimable' };
      const claimedAt = now().toISOString();
      const body: InstanceHolder = {
        findingId,
        claimedAt,
        accountId: instance.accountId,
        region: instance.region,
        instanceId: instance.instanceId,
      };
      const [won, readBeside] = await Promise.all([
        putJsonIfAbsent(s3, where, key, body),
        options.expectHeld === true ? readJsonObject(s3, where.bucket, key) : Promise.resolve(undefined),
      ]);
      if (won) return { kind: 'held', key, since: null };
      // Read beside the write, the claim may not have been there yet (a holder writing at the same moment).
      const holder = holderOf(readBeside) ?? holderOf(await readJsonObject(s3, where.bucket, key));
      if (holder === null) {
        return {
          kind: 'taken-over',
          key,
          reason:
            'the instance is claimed, but the claim could not be read (a write in flight, or an object this tool did not write)',
        };
      }
      if (holder.findingId === findingId) return { kind: 'held', key, since: holder.claimedAt };
      const left = await holderLeftIt(holder, findingId);
      return left === null ? { kind: 'answered', key, holder } : { kind: 'taken-over', key, reason: left };
    },
  };
}
