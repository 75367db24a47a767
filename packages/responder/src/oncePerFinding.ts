import {
  alreadyDone,
  awsErrorDetails,
  type ClaimedInstance,
  type Delivery,
  type DeliveryOutcome,
  type FindingSummary,
  type IncidentReport,
  incidentDeliveryReportKey,
  incidentReportKey,
  instanceClaimKey,
  type StepRecord,
  type StepResult,
  skipped,
  succeeded,
} from '@cryptominer-defense/core/cold-start';
import type { FindingClaim, FindingLedger } from './findingLedger';
import type { ResponderLogger } from './responderLogger';
import type { Admission, AnsweredElsewhere, EngineAnswer } from './respondToFinding';
import { runAction } from './runAction';
import type { InstanceClaim, InstanceClaims } from './state/instanceClaims';

/** A report to write (and the claim it was made under: 0 when none), or why nothing was done. */
export type ClaimedAnswer =
  | { readonly report: IncidentReport; readonly key: string; readonly attempt: number }
  | { readonly ignored: string };

/** What the event says of this delivery. */
export interface DeliveredEvent {
  readonly eventId: string | null;
  readonly serviceCount: number | null;
}

/** The instance a response answers, claimed beside the finding (state/instanceClaims.ts). */
export interface InstanceToClaim {
  readonly instance: ClaimedInstance;
  /** Claimed for this finding already (a linked incident, when its finding listed it): read while written. */
  readonly expectHeld: boolean;
}

/** What the claim's answer means for the report: its record's result. */
function claimResult(claim: InstanceClaim): StepResult {
  switch (claim.kind) {
    case 'held':
      return claim.since === null ? succeeded : alreadyDone(`held by this finding since ${claim.since}`);
    case 'answered':
      // What the claim is for is in place: the instance is answered, by that incident.
      return alreadyDone(
        `held by finding ${claim.holder.findingId} since ${claim.holder.claimedAt}: that incident answers the instance`,
      );
    case 'taken-over':
      return skipped(claim.reason);
    case 'unclaimable':
      return skipped('the instance id or region is not well formed: answered without a claim');
  }
}

function answeredElsewhere(claim: InstanceClaim | null): AnsweredElsewhere | null {
  if (claim?.kind !== 'answered') return null;
  return { findingId: claim.holder.findingId, claimedAt: claim.holder.claimedAt, claimKey: claim.key };
}

export interface OncePerFinding {
  /**
   * Answers a finding at most once per claim (findingLedger.ts): the first delivery answers, a later one answers
   * again into a key of its own beside the first report (`….delivery-<attempt>.json`), one at the same moment as another changes nothing (recorded `concurrent`).
   * `answer` gets the admission as a promise (it may read while the claim is asked) and must not act before it.
   * If the ledger cannot be read or written, the answer goes ahead without the lock and the claimFinding step
   * says so. With an instance, its claim is asked beside the lock (the same round trip): when another finding's
   * response holds it, the admission says so (`answeredBy`); a claim that cannot be written is a failed claimInstance
   * record and the answer goes ahead (containment before tidiness: every step checks the state first).
   */
  respond(
    finding: FindingSummary,
    delivered: DeliveredEvent,
    answer: (admission: Promise<Admission>) => Promise<EngineAnswer>,
    instance?: InstanceToClaim,
  ): Promise<ClaimedAnswer>;
  /** Saves what an admitted delivery did (attempt > 0); a lost state is logged, not thrown. */
  saveState(report: IncidentReport, answer: { readonly key: string; readonly attempt: number }): Promise<void>;
}

/** The idempotency lock, the admission and the list of deliveries around one answer to a finding. */
export function createOncePerFinding(
  ledger: FindingLedger,
  claims: InstanceClaims,
  logger: ResponderLogger,
  now: () => Date,
): OncePerFinding {
  /** Records a delivery; a lost record must not cost the response (the report still lists the others). */
  async function recordDelivery(finding: FindingSummary, delivery: Delivery): Promise<void> {
    try {
      await ledger.recordDelivery(finding.findingId, delivery);
    } catch (error) {
      logger.error('Could not record the delivery', { findingId: finding.findingId, ...awsErrorDetails(error) });
    }
  }

  return {
    async respond(finding, delivered, answer, instance) {
      const receivedAt = now();
      const delivery = (outcome: DeliveryOutcome): Delivery => ({
        receivedAt: receivedAt.toISOString(),
        eventId: delivered.eventId,
        serviceCount: delivered.serviceCount,
        outcome,
      });
      const claimed = runAction<FindingClaim>(
        { step: 'claimFinding', target: finding.findingId },
        async () => ({ result: succeeded, value: await ledger.claim(finding.findingId, delivered.eventId) }),
        { kind: 'first', attempt: 0 },
        now,
      );
      // A finding id names one resource; state about another instance or account is not this incident's.
      const previousOf = (claim: FindingClaim) =>
        claim.kind === 'repeat' &&
        claim.previous.report.instanceId === finding.instanceId &&
        claim.previous.report.accountId === finding.accountId
          ? claim.previous
          : null;
      const instanceClaimed =
        instance === undefined
          ? Promise.resolve(null)
          : runAction<InstanceClaim | null>(
              { step: 'claimInstance', target: instanceClaimKey(instance.instance) ?? instance.instance.instanceId },
              async () => {
                const claim = await claims.claim(instance.instance, finding.findingId, {
                  expectHeld: instance.expectHeld,
                });
                return { result: claimResult(claim), value: claim };
              },
              null,
              now,
            );
      const admission = Promise.all([claimed, instanceClaimed]).then(
        ([{ value: claim }, instanceAnswer]): Admission => {
          if (claim.kind === 'busy') return { admitted: false, reason: claim.reason };
          const answeredBy = answeredElsewhere(instanceAnswer?.value ?? null);
          return {
            admitted: true,
            previous: previousOf(claim)?.report ?? null,
            ...(answeredBy === null ? {} : { answeredBy }),
            ...(instanceAnswer === null ? {} : { records: [instanceAnswer.record] }),
          };
        },
      );
      // The delivery is recorded, and the deliveries listed, while the answer is made: no round trip after it.
      const deliveries = claimed.then(async ({ value: claim }) => {
        if (claim.kind === 'busy') return [];
        const previous = previousOf(claim);
        const thisDelivery = delivery(previous === null ? 'acted' : 'repeated');
        await recordDelivery(finding, thisDelivery);
        return ledger.deliveries(finding.findingId).catch((error: unknown) => {
          logger.error('Could not list the deliveries', { findingId: finding.findingId, ...awsErrorDetails(error) });
          return [...(previous?.report.deliveries ?? []), thisDelivery];
        });
      });
      const answered = await answer(admission);
      if (answered.kind === 'declined') {
        await recordDelivery(finding, delivery('concurrent'));
        return { ignored: answered.reason };
      }
      const { record: claimRecord, value: claim } = await claimed;
      const instanceRecord = (await instanceClaimed)?.record;
      const responded = answered.report;
      const steps: StepRecord[] = [
        claimRecord,
        ...(instanceRecord === undefined ? [] : [instanceRecord]),
        // This delivery's claims replace an earlier one's; the claims of linked instances (an action) stay.
        ...responded.steps.filter(
          (record) =>
            record.step !== 'claimFinding' && !(record.step === 'claimInstance' && record.action === undefined),
        ),
      ];
      const report: IncidentReport = { ...responded, steps, deliveries: await deliveries };
      // Reports are evidence, written once: a later delivery's report goes beside the first, not over it. Any
      // delivery after the first of this finding id does, even when the state was another incident's (a finding id
      // reused for another instance) or was lost: two answers in one second would otherwise get the same key.
      const attempt = claim.kind === 'busy' ? 0 : claim.attempt;
      const key =
        claim.kind === 'repeat' || attempt > 1
          ? incidentDeliveryReportKey(previousOf(claim)?.reportKey ?? incidentReportKey(report), attempt)
          : incidentReportKey(report);
      if (claimRecord.status === 'failed') {
        logger.warn('The finding could not be claimed: acted without the idempotency lock', { record: claimRecord });
      }
      return { report, key, attempt };
    },

    async saveState(report, answer) {
      try {
        await ledger.saveState({ findingId: report.findingId, attempt: answer.attempt, reportKey: answer.key, report });
      } catch (error) {
        // The next delivery finds the claim but no state: it acts again after the lease (every step checks the
        // state first), and the report written now keeps this delivery's undo data.
        logger.error('Could not save the finding state', { findingId: report.findingId, ...awsErrorDetails(error) });
      }
    },
  };
}
