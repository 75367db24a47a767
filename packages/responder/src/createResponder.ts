import {
  classifyFinding,
  type Delivery,
  type DeliveryOutcome,
  type FindingSummary,
  type IncidentReport,
  type InstanceHints,
  incidentReportKey,
  instanceHintsOf,
  parseConfiguration,
  parseGuardDutyFindingEvent,
  type ResponderConfiguration,
  type StepRecord,
  succeeded,
} from '@cryptominer-defense/core';
import { awsErrorDetails } from './awsErrorDetails';
import { createClientFactory } from './clients/createClientFactory';
import type { ClientFactory, ResponderClient } from './clients/responderClients';
import { createFindingLedger, type FindingClaim } from './findingLedger';
import { createOrganizationalUnitLookup } from './organizationalUnits';
import { createOrganizationMembership } from './organizationMembership';
import type { ResponderLogger } from './responderLogger';
import { type Admission, reportForPerson, respondToFinding } from './respondToFinding';
import { runAction } from './runAction';
import { createSecurityGroupCache } from './securityGroupCache';
import { writeIncidentReport } from './writeIncidentReport';

/** What became of one event. */
export type FindingHandled =
  /**
   * Not applicable (not a crypto-mining finding), or the finding is being acted on by another delivery at
   * this moment (recorded under responder-state/, nothing else touched, no report written).
   */
  | { readonly kind: 'ignored'; readonly reason: string }
  /** The report was written to s3://bucket/key. */
  | { readonly kind: 'reported'; readonly report: IncidentReport; readonly bucket: string; readonly key: string };

/** A report to write (and the claim it was made under: 0 when none), or why nothing was done. */
type Answer =
  | { readonly report: IncidentReport; readonly key: string; readonly attempt: number }
  | { readonly ignored: string };

export interface Responder {
  readonly configuration: ResponderConfiguration;
  /**
   * Handles one EventBridge GuardDuty event end to end. Throws InvalidFindingEventError (core) for input
   * that is not a GuardDuty finding event (nothing touched) and ReportWriteError when the report could not
   * be stored; every AWS failure of a response step is recorded in the report instead.
   */
  handle(event: unknown): Promise<FindingHandled>;
  /** Closes the clients (for short-lived processes such as the CLI). */
  destroy(): void;
}

export interface ResponderOptions {
  /** The environment to read the configuration from (and to see whether custom endpoints are set). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger: ResponderLogger;
  /** Called with every AWS client created (tests record the actions called). */
  readonly configureClient?: (client: ResponderClient) => void;
  readonly now?: () => Date;
}

/**
 * Reads and validates the configuration (throws ConfigurationError naming the variable), then wires the
 * engine: clients, the organization membership check, the report store and the optional alert.
 */
export function createResponder(options: ResponderOptions): Responder {
  const configuration = parseConfiguration(options.env);
  const clients: ClientFactory = createClientFactory({
    centralRegion: configuration.centralRegion,
    responderRoleName: configuration.responderRoleName,
    env: options.env,
    ...(options.configureClient === undefined ? {} : { configureClient: options.configureClient }),
  });
  const isOrganizationMember = createOrganizationMembership(clients.central.organizations);
  const organizationalUnitsOf = createOrganizationalUnitLookup(clients.central.organizations);
  const groupCache = createSecurityGroupCache();
  const { logger } = options;
  const now = options.now ?? (() => new Date());
  const ledger = createFindingLedger(clients.central.s3, {
    bucket: configuration.reportBucket,
    kmsKeyId: configuration.reportKmsKeyId,
    now,
  });
  const engine = { clients, configuration, isOrganizationMember, organizationalUnitsOf, groupCache, logger, now };

  /** Records a delivery; a lost record must not cost the response (the report still lists the others). */
  async function recordDelivery(finding: FindingSummary, delivery: Delivery): Promise<void> {
    try {
      await ledger.recordDelivery(finding.findingId, delivery);
    } catch (error) {
      logger.error('Could not record the delivery', { findingId: finding.findingId, ...awsErrorDetails(error) });
    }
  }

  /** Saves what this delivery did; a lost state is logged (the next delivery then waits for the lease). */
  async function saveState(report: IncidentReport, answer: { readonly key: string; readonly attempt: number }) {
    try {
      await ledger.saveState({ findingId: report.findingId, attempt: answer.attempt, reportKey: answer.key, report });
    } catch (error) {
      // The next delivery finds the claim but no state: it acts again after the lease (every step checks the
      // state first), and the report written now keeps this delivery's undo data.
      logger.error('Could not save the finding state', { findingId: report.findingId, ...awsErrorDetails(error) });
    }
  }

  /**
   * Acts on a finding at most once per claim (findingLedger.ts): the first delivery acts, a later one retries
   * only what did not work and rewrites the same report, one at the same moment as another changes nothing.
   * The claim is asked while the engine reads (membership, role, instance): the engine acts only once it is
   * admitted. If the ledger cannot be read or written, the response goes ahead (containment matters more than
   * a duplicate; every step checks the state first) and the claimFinding step says so.
   */
  async function respondOnce(
    finding: FindingSummary & { readonly instanceId: string },
    delivered: { readonly eventId: string | null; readonly serviceCount: number | null },
    hints: InstanceHints,
  ): Promise<Answer> {
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
    // The delivery is recorded, and the deliveries listed, while the engine responds: no round trip after it.
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
    const answer = await respondToFinding(engine, finding, { admission, hints });
    if (answer.kind === 'declined') {
      await recordDelivery(finding, delivery('concurrent'));
      return { ignored: answer.reason };
    }
    const { record: claimRecord, value: claim } = await claimed;
    const responded = answer.report;
    const steps: StepRecord[] = [claimRecord, ...responded.steps.filter((record) => record.step !== 'claimFinding')];
    const report: IncidentReport = { ...responded, steps, deliveries: await deliveries };
    const key = previousOf(claim)?.reportKey ?? incidentReportKey(report);
    if (claimRecord.status === 'failed') {
      logger.warn('The finding could not be claimed: acted without the idempotency lock', { record: claimRecord });
    }
    return { report, key, attempt: claim.kind === 'busy' ? 0 : claim.attempt };
  }

  async function reportFor(event: unknown): Promise<Answer> {
    const parsed = parseGuardDutyFindingEvent(event);
    const classification = classifyFinding(parsed.detail);
    switch (classification.kind) {
      case 'ignore':
        return { ignored: classification.reason };
      case 'needs-person': {
        const report = reportForPerson(classification.finding, classification.reason, now);
        return { report, key: incidentReportKey(report), attempt: 0 };
      }
      case 'respond':
        return respondOnce(
          classification.finding,
          { eventId: parsed.id ?? null, serviceCount: parsed.detail.service?.count ?? null },
          instanceHintsOf(parsed.detail),
        );
    }
  }

  /** What the alert needs, loaded on demand; a rejection is handled where the alert is sent (logged). */
  function loadAlertSending() {
    const loading = Promise.all([clients.central.sns(), import('./publishIncidentAlert')]);
    loading.catch(() => undefined);
    return loading;
  }

  return {
    configuration,
    async handle(event: unknown): Promise<FindingHandled> {
      const answer = await reportFor(event);
      if ('ignored' in answer) {
        logger.info('Finding ignored', { reason: answer.ignored });
        return { kind: 'ignored', reason: answer.ignored };
      }
      const outcome = answer.report;
      const destination = { bucket: configuration.reportBucket, kmsKeyId: configuration.reportKmsKeyId };
      // The state and the report at once (one round trip): if the report cannot be written, the state still
      // tells the platform's retry (the same event) what this delivery did, so it keeps this delivery's undo data
      // instead of acting again as if for the first time. Both are waited for before the error is thrown.
      const stateSaved = answer.attempt > 0 ? saveState(outcome, answer) : Promise.resolve();
      // The alert's code (the SNS client and command, about 25 KB of the SDK) is not loaded at a cold start: it
      // loads while the report is written, after isolation and every other step, and is awaited after that write.
      const alertSending = configuration.alertTopicArn === null ? null : loadAlertSending();
      const [written] = await Promise.allSettled([
        writeIncidentReport(clients.central.s3, destination, outcome, answer.key),
        stateSaved,
      ]);
      if (written.status === 'rejected') throw written.reason;
      const key = written.value;
      logger.info('Incident report written', {
        findingId: outcome.findingId,
        accountId: outcome.accountId,
        instanceId: outcome.instanceId,
        bucket: destination.bucket,
        key,
        response: outcome.response,
      });
      if (configuration.alertTopicArn !== null && alertSending !== null) {
        try {
          const [sns, { publishIncidentAlert }] = await alertSending;
          await publishIncidentAlert(sns, configuration.alertTopicArn, outcome, `s3://${destination.bucket}/${key}`);
        } catch (error) {
          // The report is stored: a lost alert must not make the platform retry the whole response.
          logger.error('Could not publish the incident alert', {
            topicArn: configuration.alertTopicArn,
            ...awsErrorDetails(error),
          });
        }
      }
      return { kind: 'reported', report: outcome, bucket: destination.bucket, key };
    },
    destroy: () => clients.destroy(),
  };
}
