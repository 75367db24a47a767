import {
  classifyFinding,
  type IncidentReport,
  parseConfiguration,
  parseGuardDutyFindingEvent,
  type ResponderConfiguration,
} from '@cryptominer-defense/core';
import { awsErrorDetails } from './awsErrorDetails';
import { createClientFactory } from './clients/createClientFactory';
import type { ClientFactory, ResponderClient } from './clients/responderClients';
import { createOrganizationMembership } from './organizationMembership';
import { publishIncidentAlert } from './publishIncidentAlert';
import type { ResponderLogger } from './responderLogger';
import { reportForPerson, respondToFinding } from './respondToFinding';
import { writeIncidentReport } from './writeIncidentReport';

/** What became of one event. */
export type FindingHandled =
  /** Not applicable (not a crypto-mining finding): nothing touched, nothing written. */
  | { readonly kind: 'ignored'; readonly reason: string }
  /** The report was written to s3://bucket/key. */
  | { readonly kind: 'reported'; readonly report: IncidentReport; readonly bucket: string; readonly key: string };

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
  const { logger } = options;
  const now = options.now ?? (() => new Date());

  async function reportFor(event: unknown): Promise<IncidentReport | { readonly ignored: string }> {
    const { detail } = parseGuardDutyFindingEvent(event);
    const classification = classifyFinding(detail);
    switch (classification.kind) {
      case 'ignore':
        return { ignored: classification.reason };
      case 'needs-person':
        return reportForPerson(classification.finding, classification.reason, now);
      case 'respond':
        return respondToFinding({ clients, configuration, isOrganizationMember, logger, now }, classification.finding);
    }
  }

  return {
    configuration,
    async handle(event: unknown): Promise<FindingHandled> {
      const outcome = await reportFor(event);
      if ('ignored' in outcome) {
        logger.info('Finding ignored', { reason: outcome.ignored });
        return { kind: 'ignored', reason: outcome.ignored };
      }
      const destination = { bucket: configuration.reportBucket, kmsKeyId: configuration.reportKmsKeyId };
      const key = await writeIncidentReport(clients.central.s3, destination, outcome);
      logger.info('Incident report written', {
        findingId: outcome.findingId,
        accountId: outcome.accountId,
        instanceId: outcome.instanceId,
        bucket: destination.bucket,
        key,
        response: outcome.response,
      });
      if (configuration.alertTopicArn !== null) {
        try {
          await publishIncidentAlert(
            clients.central.sns,
            configuration.alertTopicArn,
            outcome,
            `s3://${destination.bucket}/${key}`,
          );
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
