import {
  awsErrorDetails,
  FAILED_CONTAINMENT_STEPS_METRIC,
  type IncidentReport,
  type ResponderConfiguration,
  type StepRecord,
} from '@cryptominer-defense/core/cold-start';
import type { ClientFactory } from './clients/responderClients';
import type { ClaimedAnswer, OncePerFinding } from './oncePerFinding';
import type { ResponderLogger } from './responderLogger';
import { logMetric } from './responderMetrics';
import { writeIncidentReport } from './writeIncidentReport';

/** What became of one event. */
export type FindingHandled =
  /**
   * Not applicable (not a crypto-mining finding), or the finding is being acted on by another delivery at
   * this moment (recorded under responder-state/, nothing else touched, no report written).
   */
  | { readonly kind: 'ignored'; readonly reason: string }
  /** The report was written to s3://bucket/key. */
  | {
      readonly kind: 'reported';
      readonly report: IncidentReport;
      readonly bucket: string;
      readonly key: string;
      /**
       * For an attack sequence: what became of each instance it named; for a launch with an instance's role
       * credentials: that instance's linked incident. Each answered as a finding of its own.
       */
      readonly derived?: readonly FindingHandled[];
      /**
       * With SECURITY_HUB_UPDATES=on: what telling Security Hub did (after the report, so not in it), and where that
       * record is kept (null: it could not be written, and is logged).
       */
      readonly securityHub?: { readonly steps: readonly StepRecord[]; readonly recordKey: string | null };
    };

export interface AnswerStoreDependencies {
  readonly clients: ClientFactory;
  readonly configuration: ResponderConfiguration;
  readonly logger: ResponderLogger;
  readonly once: Pick<OncePerFinding, 'saveState'>;
  readonly now: () => Date;
}

/** Stores what the engine answered: the report and the finding's state at once, then the alert. */
export function createAnswerStore({ clients, configuration, logger, once, now }: AnswerStoreDependencies) {
  /** What the alert needs, loaded on demand; a rejection is handled where the alert is sent (logged). */
  function loadAlertSending() {
    const loading = Promise.all([clients.central.sns(), import('./publishIncidentAlert')]);
    loading.catch(() => undefined);
    return loading;
  }

  /** Writes an answer's report and state, then the alert. */
  async function store(answer: ClaimedAnswer): Promise<FindingHandled> {
    if ('ignored' in answer) {
      logger.info('Finding ignored', { reason: answer.ignored });
      return { kind: 'ignored', reason: answer.ignored };
    }
    const outcome = answer.report;
    const destination = { bucket: configuration.reportBucket, kmsKeyId: configuration.reportKmsKeyId };
    // The state and the report at once (one round trip): if the report cannot be written, the state still
    // tells the platform's retry (the same event) what this delivery did, so it keeps this delivery's undo data
    // instead of acting again as if for the first time. Both are waited for before the error is thrown.
    const stateSaved = answer.attempt > 0 ? once.saveState(outcome, answer) : Promise.resolve();
    // The alert's code (the SNS client and command, about 25 KB of the SDK) is not loaded at a cold start: it
    // loads while the report is written, after isolation and every other step, and is awaited after that write.
    const alerts = [
      { topicArn: configuration.alertTopicArn, format: 'text' },
      { topicArn: configuration.chatAlertTopicArn, format: 'chat' },
    ] as const;
    const alertSending = alerts.every(({ topicArn }) => topicArn === null) ? null : loadAlertSending();
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
    const failedSteps = outcome.steps.filter((step) => step.status === 'failed');
    if (failedSteps.length > 0) {
      // The alarm on this metric tells a person at once: a failed step leaves the instance or the identity as is.
      logMetric(logger, FAILED_CONTAINMENT_STEPS_METRIC, failedSteps.length, 'Containment steps failed', {
        findingId: outcome.findingId,
        accountId: outcome.accountId,
        instanceId: outcome.instanceId,
        failedSteps: failedSteps.map((step) => step.step),
      });
    }
    // Security Hub beside the alert: both only tell people, and neither may cost the stored report.
    const securityHub = configuration.securityHubUpdates
      ? tellSecurityHubOf({ report: outcome, bucket: destination.bucket, key, attempt: answer.attempt }, destination)
          // Only a module that cannot load rejects here (the steps record AWS's errors): logged, the report stands.
          .catch((error: unknown) => {
            logger.error('Could not tell Security Hub', { findingId: outcome.findingId, ...awsErrorDetails(error) });
            return { steps: [], recordKey: null };
          })
      : Promise.resolve(undefined);
    if (alertSending !== null) {
      const location = `s3://${destination.bucket}/${key}`;
      // Both at once and each on its own: one topic's failure costs the other nothing.
      await Promise.all(
        alerts.map(async ({ topicArn, format }) => {
          if (topicArn === null) return;
          try {
            const [sns, alert] = await alertSending;
            const publish = format === 'chat' ? alert.publishChatNotification : alert.publishIncidentAlert;
            await publish(sns, topicArn, outcome, location);
          } catch (error) {
            // The report is stored: a lost alert must not make the platform retry the whole response.
            logger.error('Could not publish the incident alert', { topicArn, format, ...awsErrorDetails(error) });
          }
        }),
      );
    }
    const told = await securityHub;
    return {
      kind: 'reported',
      report: outcome,
      bucket: destination.bucket,
      key,
      ...(told === undefined ? {} : { securityHub: told }),
    };
  }

  /** Tells Security Hub, loaded on demand; what it did is logged, and a failed step counted as a failed step is. */
  async function tellSecurityHubOf(
    stored: {
      readonly report: IncidentReport;
      readonly bucket: string;
      readonly key: string;
      readonly attempt: number;
    },
    destination: { readonly bucket: string; readonly kmsKeyId: string | null },
  ) {
    const { recordSecurityHubSteps } = await import('./securityHub/recordSecurityHubSteps');
    const told = await recordSecurityHubSteps(clients, destination, stored, {
      region: configuration.centralRegion,
      now,
    });
    const failures = told.steps.filter((step) => step.status === 'failed');
    if (failures.length > 0) {
      logger.warn('Security Hub could not be told of the incident', { findingId: stored.report.findingId, failures });
    }
    if (told.recordKey === null) {
      logger.error('Could not write the Security Hub record', {
        findingId: stored.report.findingId,
        ...awsErrorDetails(told.writeError),
      });
    }
    return { steps: told.steps, recordKey: told.recordKey };
  }

  return store;
}
