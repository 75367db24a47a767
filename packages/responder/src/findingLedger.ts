import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  type Delivery,
  deliveryOfKey,
  findingClaimKey,
  findingDeliveriesPrefix,
  findingDeliveryKey,
  findingStateKey,
  type IncidentReport,
} from '@cryptominer-defense/core/cold-start';
import { putJsonIfAbsent, readJsonObject } from './state/conditionalWrites';

/** What the last acting delivery of a finding left behind. */
export interface FindingState {
  readonly findingId: string;
  /** The claim number of that delivery (1 = the first). */
  readonly attempt: number;
  /** Where the incident's report is: later deliveries rewrite the same object. */
  readonly reportKey: string;
  readonly report: IncidentReport;
}

/** The answer to "may this delivery act?". */
export type FindingClaim =
  /** Nobody acted on this finding yet: act. */
  | { readonly kind: 'first'; readonly attempt: number }
  /** An earlier delivery acted: retry only what did not work, keep its undo data. */
  | { readonly kind: 'repeat'; readonly attempt: number; readonly previous: FindingState }
  /** Another delivery is acting right now: change nothing. */
  | { readonly kind: 'busy'; readonly reason: string };

export interface FindingLedger {
  claim(findingId: string, eventId: string | null): Promise<FindingClaim>;
  recordDelivery(findingId: string, delivery: Delivery): Promise<void>;
  /** Every delivery recorded so far, oldest first. */
  deliveries(findingId: string): Promise<Delivery[]>;
  saveState(state: FindingState): Promise<void>;
}

export interface FindingLedgerOptions {
  readonly bucket: string;
  readonly kmsKeyId: string | null;
  /** A claim older than this whose delivery left no state died on the way (a Lambda runs 15 min at most). */
  readonly leaseMs?: number;
  readonly now?: () => Date;
}

interface ClaimBody {
  readonly eventId: string | null;
  readonly claimedAt: string;
}

/** A claim older than this whose delivery left no state died on the way: a Lambda runs 15 minutes at most. */
export const CLAIM_LEASE_MS = 15 * 60_000;

/** How many stale claims one delivery steps over before it gives up (each costs two requests). */
const MAX_TAKEOVERS = 5;

/**
 * The idempotency lock and ledger of findings, in the report bucket under `responder-state/<findingId>/`
 * (Athena reads only `incidents/`). A delivery claims attempt n+1 (n: the attempt of the saved state) with
 * a conditional PutObject `If-None-Match: *`: of two deliveries at the same moment exactly one succeeds; the
 * other gets 412 PreconditionFailed and acts on nothing, even when it carries the same EventBridge event (SQS
 * and EventBridge deliver at least once, so an identical event can arrive twice at the same moment). A claim is
 * stepped over only when it is older than the lease with no state saved: its delivery died. The lease (15 min)
 * is shorter than the queue's visibility timeout (6 × the function's 300 s), so the platform's retry of a
 * delivery that died finds its claim expired; a delivery that failed after saving its state (a failed report
 * write) is retried as a repeat, on the next claim.
 */
export function createFindingLedger(s3: S3Client, options: FindingLedgerOptions): FindingLedger {
  const leaseMs = options.leaseMs ?? CLAIM_LEASE_MS;
  const now = options.now ?? (() => new Date());
  const encryption =
    options.kmsKeyId === null ? {} : { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: options.kmsKeyId };

  const readJson = (key: string) => readJsonObject(s3, options.bucket, key);

  async function readState(findingId: string): Promise<FindingState | null> {
    const stored = await readJson(findingStateKey(findingId));
    if (stored === undefined || typeof stored !== 'object' || stored === null) return null;
    const { attempt, reportKey, report } = stored as Record<string, unknown>;
    // Loaded once there is a state to check (state/incidentReportSchemaOnDemand.ts); a failed import fails the
    // claim as a failed read does (claimFinding is recorded failed with the error).
    const { incidentReportSchema } = await import('./state/incidentReportSchemaOnDemand');
    const parsed = incidentReportSchema.safeParse(report);
    if (typeof attempt !== 'number' || typeof reportKey !== 'string' || !parsed.success) return null;
    return { findingId, attempt, reportKey, report: parsed.data };
  }

  /** False: another delivery holds the claim (412), or is writing it (409). */
  const tryClaim = (findingId: string, attempt: number, body: ClaimBody) =>
    putJsonIfAbsent(s3, options, findingClaimKey(findingId, attempt), body);

  return {
    async claim(findingId, eventId) {
      const body: ClaimBody = { eventId, claimedAt: now().toISOString() };
      // Most deliveries are their finding's first: claim 1 is tried while the state is read, so the lock costs
      // one round trip, not two. With a state, claim 1 is long taken (412) and the claim goes on from the state.
      const [state, claimedFirst] = await Promise.all([readState(findingId), tryClaim(findingId, 1, body)]);
      let attempt = (state?.attempt ?? 0) + 1;
      for (let takeover = 0; takeover <= MAX_TAKEOVERS; takeover++) {
        if (attempt === 1 ? claimedFirst : await tryClaim(findingId, attempt, body)) {
          return state === null ? { kind: 'first', attempt } : { kind: 'repeat', attempt, previous: state };
        }
        const holder = (await readJson(findingClaimKey(findingId, attempt))) as Partial<ClaimBody> | undefined;
        const claimedAt = typeof holder?.claimedAt === 'string' ? Date.parse(holder.claimedAt) : Number.NaN;
        const stale = Number.isFinite(claimedAt) && now().getTime() - claimedAt > leaseMs;
        if (!stale) {
          const expires = Number.isFinite(claimedAt) ? new Date(claimedAt + leaseMs).toISOString() : 'unknown';
          return {
            kind: 'busy',
            reason: `finding ${findingId} is being acted on by another delivery (claim ${attempt}, since ${holder?.claimedAt ?? 'unknown'}): this delivery changed nothing; if that delivery died, its claim expires at ${expires}`,
          };
        }
        attempt++;
      }
      return { kind: 'busy', reason: `finding ${findingId}: too many unfinished claims; a person should look` };
    },

    async recordDelivery(findingId, delivery) {
      await s3.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: findingDeliveryKey(findingId, delivery),
          Body: JSON.stringify(delivery),
          ContentType: 'application/json',
          ...encryption,
        }),
      );
    },

    async deliveries(findingId) {
      const found: Delivery[] = [];
      let continuationToken: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({
            Bucket: options.bucket,
            Prefix: findingDeliveriesPrefix(findingId),
            ContinuationToken: continuationToken,
          }),
        );
        for (const object of page.Contents ?? []) {
          const delivery = object.Key === undefined ? null : deliveryOfKey(object.Key);
          if (delivery !== null) found.push(delivery);
        }
        continuationToken = page.IsTruncated === true ? page.NextContinuationToken : undefined;
      } while (continuationToken !== undefined);
      return found.sort((left, right) => left.receivedAt.localeCompare(right.receivedAt));
    },

    async saveState(state) {
      await s3.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: findingStateKey(state.findingId),
          Body: JSON.stringify(state),
          ContentType: 'application/json',
          ...encryption,
        }),
      );
    },
  };
}
