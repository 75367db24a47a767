import {
  attackSequenceReportReason,
  classifyFinding,
  type FindingClassification,
  type FindingSummary,
  followedInstanceFindingsOf,
  foreignPartitionReason,
  type GuardDutyFindingEvent,
  type InstanceHints,
  instanceHintsOf,
  linkedInstanceFindingOf,
  mapWithConcurrency,
  NO_INSTANCE_HINTS,
  parseConfiguration,
  parseGuardDutyFindingEvent,
  REJECTED_EVENTS_METRIC,
  type ResponderConfiguration,
} from '@cryptominer-defense/core/cold-start';
import { createAnswerStore, type FindingHandled } from './answerStore';
import { createClientFactory } from './clients/createClientFactory';
import type { ClientFactory, ResponderClient } from './clients/responderClients';
import { createFindingLedger } from './findingLedger';
import { type ClaimedAnswer, createOncePerFinding, type DeliveredEvent } from './oncePerFinding';
import { createOrganizationalUnitLookup } from './organizationalUnits';
import { createOrganizationMembership } from './organizationMembership';
import { cachedPauseSwitch, readPauseSwitch } from './pauseSwitchReader';
import { createRecentAnswers } from './recentAnswers';
import type { ResponderLogger } from './responderLogger';
import { logMetric } from './responderMetrics';
import { type Admission, type EngineAnswer, reportForPerson, respondToFinding } from './respondToFinding';
import type { InstanceFinding } from './response/responseTypes';
import { createSecurityGroupCache } from './securityGroupCache';
import { createInstanceClaims } from './state/instanceClaims';

/**
 * How many instances of one attack sequence are contained at the same moment: each as fast as an ordinary
 * finding, without flooding the member account's EC2 API (the function's reserved concurrency is 5).
 */
const DERIVED_RESPONSES_AT_ONCE = 10;

export type { FindingHandled } from './answerStore';

/** A promise's outcome as a value: the others' answers are kept when one fails. */
function settle<T>(work: Promise<T>) {
  return work.then(
    (value) => ({ ok: true, value }) as const,
    (error: unknown) => ({ ok: false, error }) as const,
  );
}

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
    onFindingSessionRefused: (error, target) =>
      options.logger.warn(
        "The finding's own session could not be assumed: its changes go under the account's session. Update the member role StackSet (its trust allows sts:SetSourceIdentity).",
        {
          accountId: target.accountId,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        },
      ),
  });
  const isOrganizationMember = createOrganizationMembership(clients.central.organizations);
  const organizationalUnitsOf = createOrganizationalUnitLookup(clients.central.organizations);
  const groupCache = createSecurityGroupCache();
  const recentAnswers = createRecentAnswers();
  const { logger } = options;
  const now = options.now ?? (() => new Date());
  const ledger = createFindingLedger(clients.central.s3, {
    bucket: configuration.reportBucket,
    kmsKeyId: configuration.reportKmsKeyId,
    now,
  });
  const pauseSwitch = cachedPauseSwitch(
    () => readPauseSwitch(clients.central.s3, configuration.reportBucket),
    configuration.pauseSwitchCacheSeconds,
    now,
  );
  const instanceClaims = createInstanceClaims(clients.central.s3, {
    bucket: configuration.reportBucket,
    kmsKeyId: configuration.reportKmsKeyId,
    now,
  });
  const engine = {
    instanceClaims,
    clients,
    configuration,
    isOrganizationMember,
    organizationalUnitsOf,
    pauseSwitch,
    groupCache,
    recentAnswers,
    logger,
    now,
  };

  const once = createOncePerFinding(ledger, instanceClaims, logger, now);
  const store = createAnswerStore({ clients, configuration, logger, once, now });

  /** A report for a person (nothing to contain); a repeat keeps the first report's timestamp, so its key. */
  async function answerForPerson(
    finding: FindingSummary,
    reason: string,
    admission: Promise<Admission>,
  ): Promise<EngineAnswer> {
    const startedAt = now();
    const admitted = await admission;
    if (!admitted.admitted) return { kind: 'declined', reason: admitted.reason };
    const timestamp = admitted.previous === null ? startedAt : new Date(admitted.previous.timestamp);
    return { kind: 'report', report: reportForPerson(finding, reason, () => timestamp) };
  }

  /** What the event says, how the finding is classified, and why it is refused before anything is called. */
  function understand(event: unknown) {
    const parsed = parseGuardDutyFindingEvent(event);
    const classification = classifyFinding(parsed.detail, {
      maxInstancesPerSequence: configuration.maxInstancesPerSequence,
    });
    const delivered = { eventId: parsed.id ?? null, serviceCount: parsed.detail.service?.count ?? null };
    // Before the engine, so before any role is assumed or any state written: a finding of another partition
    // cannot be about this deployment.
    const foreign =
      classification.kind === 'ignore' ? null : foreignPartitionReason(parsed.detail, configuration.centralRegion);
    if (foreign !== null) {
      logMetric(logger, REJECTED_EVENTS_METRIC, 1, 'Rejected a finding of another partition', {
        findingId: parsed.detail.id,
        accountId: parsed.detail.accountId,
        region: parsed.detail.region,
        partition: parsed.detail.partition,
      });
    }
    return { parsed, classification, delivered, foreign };
  }

  /**
   * Contains one instance through the lock and the instance's claim, as for an instance finding of its own (an attack
   * sequence's, a linked incident's). A sample changes nothing and claims nothing.
   */
  function containInstance(finding: InstanceFinding, delivered: DeliveredEvent, hints: InstanceHints) {
    // A linked incident's claim was mostly taken for it when its finding listed the instance: read while written.
    const claim = finding.sample
      ? undefined
      : { instance: finding, expectHeld: finding.findingId.includes('/linked/') };
    return once.respond(
      finding,
      delivered,
      (admission) => respondToFinding(engine, finding, { admission, hints }),
      claim,
    );
  }

  /** Every crypto-mining finding goes through the idempotency lock, with an instance to contain or not. */
  function reportFor(
    parsed: GuardDutyFindingEvent,
    classification: Exclude<FindingClassification, { kind: 'attack-sequence' }>,
    delivered: DeliveredEvent,
  ): Promise<ClaimedAnswer> {
    switch (classification.kind) {
      case 'ignore':
        return Promise.resolve({ ignored: classification.reason });
      case 'needs-person': {
        const { finding, reason } = classification;
        return once.respond(finding, delivered, (admission) => answerForPerson(finding, reason, admission));
      }
      case 'throttle-function': {
        const { finding, lambdaFunction } = classification;
        // Loaded on demand: Lambda findings are rare, and its commands need not weigh on every cold start.
        return once.respond(finding, delivered, async (admission) => {
          const { respondToLambdaFinding } = await import('./response/respondToLambdaFinding');
          return respondToLambdaFinding(engine, finding, lambdaFunction, admission);
        });
      }
      case 'respond':
        return containInstance(classification.finding, delivered, instanceHintsOf(parsed.detail));
    }
  }

  /**
   * An attack sequence: each instance it names in its account is answered as an instance finding of its own (its
   * own lock, response and report), at most DERIVED_RESPONSES_AT_ONCE at a time, each as fast as an ordinary one;
   * the sequence's own report, for a person, is written meanwhile. A report that could not be written is thrown
   * once every other answer is stored: the platform's retry finds the others' state and repeats nothing.
   */
  async function handleAttackSequence(
    classification: Extract<FindingClassification, { kind: 'attack-sequence' }>,
    delivered: DeliveredEvent,
  ): Promise<FindingHandled> {
    const { finding, derived } = classification;
    const reason = attackSequenceReportReason(derived);
    const [instances, parent] = await Promise.all([
      mapWithConcurrency(derived.derived, DERIVED_RESPONSES_AT_ONCE, (instance) =>
        settle(containInstance(instance, delivered, NO_INSTANCE_HINTS).then(store)),
      ),
      settle(once.respond(finding, delivered, (admission) => answerForPerson(finding, reason, admission)).then(store)),
    ]);
    const failed = [...instances, parent].find((result) => !result.ok);
    if (failed !== undefined && !failed.ok) throw failed.error;
    const handled = instances.flatMap((result) => (result.ok ? [result.value] : []));
    if (!parent.ok) throw parent.error;
    return parent.value.kind === 'reported' ? { ...parent.value, derived: handled } : parent.value;
  }

  /**
   * After the finding's own report is stored, its linked incidents, each contained as a finding of its own (its lock,
   * response by the policy, report): the instance whose role credentials launched it, and the attributed person's
   * other running instances the report says to contain (each in its own region), DERIVED_RESPONSES_AT_ONCE at a
   * time. A lost report is thrown as for the finding's, once the others are stored: the retry repeats nothing.
   */
  async function containLinkedInstances(handled: FindingHandled, delivered: DeliveredEvent): Promise<FindingHandled> {
    if (handled.kind !== 'reported') return handled;
    const launching = linkedInstanceFindingOf(handled.report);
    const linked = [...(launching === null ? [] : [launching]), ...followedInstanceFindingsOf(handled.report)];
    if (linked.length === 0) return handled;
    logger.info('Containing the linked incidents of the finding', {
      findingId: handled.report.findingId,
      linkedFindingIds: linked.map((finding) => finding.findingId),
    });
    const answers = await mapWithConcurrency(linked, DERIVED_RESPONSES_AT_ONCE, (finding) =>
      settle(containInstance(finding, delivered, NO_INSTANCE_HINTS).then(store)),
    );
    const failed = answers.find((answer) => !answer.ok);
    if (failed !== undefined && !failed.ok) throw failed.error;
    return { ...handled, derived: answers.flatMap((answer) => (answer.ok ? [answer.value] : [])) };
  }

  return {
    configuration,
    async handle(event: unknown): Promise<FindingHandled> {
      const { parsed, classification, delivered, foreign } = understand(event);
      if (foreign !== null) return store({ ignored: foreign });
      if (classification.kind === 'attack-sequence') return handleAttackSequence(classification, delivered);
      return containLinkedInstances(await store(await reportFor(parsed, classification, delivered)), delivered);
    },
    destroy: () => clients.destroy(),
  };
}
