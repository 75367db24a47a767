import {
  awsErrorDetails,
  type Delivery,
  type DeliveryOutcome,
  type FindingSummary,
  type IncidentReport,
  incidentDeliveryReportKey,
  incidentReportKey,
  type StepRecord,
  succeeded,
} from '@cryptominer-defense/core';
import type { FindingClaim, FindingLedger } from './findingLedger';
import type { ResponderLogger } from './responderLogger';
import type { Admission, EngineAnswer } from './respondToFinding';
import { runAction } from './runAction';

/** A report to write (and the claim it was made under: 0 when none), or why nothing was done. */
export type ClaimedAnswer =
  | { readonly report: IncidentReport; readonly key: string; readonly attempt: number }
  | { readonly ignored: string };

/** What the event says of this delivery. */
export interface DeliveredEvent {
  readonly eventId: string | null;
  readonly serviceCount: number | null;
}

export interface OncePerFinding {
  /**
   * Answers a finding at most once per claim (findingLedger.ts): the first delivery answers, a later one answers
   * again into a key of its own beside the first report (`….delivery-<attempt>.json`), one at the same moment as another changes nothing (recorded `concurrent`).
   * `answer` gets the admission as a promise (it may read while the claim is asked) and must not act before it.
   * If the ledger cannot be read or written, the answer goes ahead without the lock and the claimFinding step
   * says so.
   */
  respond(
    finding: FindingSummary,
    delivered: DeliveredEvent,
    answer: (admission: Promise<Admission>) => Promise<EngineAnswer>,
  ): Promise<ClaimedAnswer>;
  /** Saves what an admitted delivery did (attempt > 0); a lost state is logged, not thrown. */
  saveState(report: IncidentReport, answer: { readonly key: string; readonly attempt: number }): Promise<void>;
}

/** The idempotency lock, the admission and the list of deliveries around one answer to a finding. */
export function createOncePerFinding(ledger: FindingLedger, logger: ResponderLogger, now: () => Date): OncePerFinding {
  /** Records a delivery; a lost record must not cost the response (the report still lists the others). */
  async function recordDelivery(finding: FindingSummary, delivery: Delivery): Promise<void> {
    try {
      await ledger.recordDelivery(finding.findingId, delivery);
    } catch (error) {
      logger.error('Could not record the delivery', { findingId: finding.findingId, ...awsErrorDetails(error) });
    }
  }

  return {
    async respond(finding, delivered, answer) {
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
      const admission = claimed.then(({ value: claim }): Admission => {
        if (claim.kind === 'busy') return { admitted: false, reason: claim.reason };
        return { admitted: true, previous: previousOf(claim)?.report ?? null };
      });
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
      const responded = answered.report;
      const steps: StepRecord[] = [claimRecord, ...responded.steps.filter((record) => record.step !== 'claimFinding')];
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
