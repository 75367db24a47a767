import {
  type Actor,
  type AttributionLink,
  actorOfReport,
  attributionComplete,
  autoScalingLaunchSource,
  buildIncidentReport,
  chooseResponseMode,
  completedSteps,
  EMPTY_UNDO,
  type FindingSummary,
  heldBack,
  type IncidentReport,
  type IncidentUndo,
  type InstanceHints,
  isAutoScalingLaunch,
  mergeEvidence,
  mergeSteps,
  mergeUndo,
  NO_EVIDENCE,
  NO_INSTANCE_HINTS,
  policyNeedsOrganizationalUnits,
  type ResponderConfiguration,
  type ResponseModeDecision,
  type StepRecord,
  type StepSubject,
  stepRunsIn,
  succeeded,
  UNKNOWN_ACTOR,
  wouldDo,
  wouldDoAll,
} from '@cryptominer-defense/core';
import { responderRoleArn } from './clients/createAssumedRoleCredentials';
import type { ClientFactory, MemberAccountClients } from './clients/responderClients';
import { type Containment, containInstance } from './containment/containInstance';
import type { MembershipAnswer } from './organizationMembership';
import type { ResponderLogger } from './responderLogger';
import { decidedRecord, runAction } from './runAction';
import { createSecurityGroupCache, type SecurityGroupCache } from './securityGroupCache';
import type { FreezeResult } from './steps/freezeActor';
import { type InstanceFacts, inspectInstance } from './steps/inspectInstance';
import { type AfterIsolationSteps, loadAfterIsolationSteps } from './steps/loadAfterIsolationSteps';
import { lookUpSecurityGroupsEarly } from './steps/lookUpSecurityGroupsEarly';

/** What the engine needs, handed in (tests build it against the emulator). */
export interface ResponseEngineDependencies {
  readonly clients: ClientFactory;
  readonly configuration: ResponderConfiguration;
  readonly isOrganizationMember: (accountId: string) => Promise<MembershipAnswer>;
  /** The OUs above an account, nearest first; only asked when the response policy has OU rules. */
  readonly organizationalUnitsOf?: (accountId: string) => Promise<readonly string[]>;
  /** Isolation and all-open group ids, kept across invocations. */
  readonly groupCache?: SecurityGroupCache;
  readonly logger: ResponderLogger;
  readonly now?: () => Date;
}

type InstanceFinding = FindingSummary & { readonly instanceId: string };

/** The member account reached: its clients, and the steps loaded on demand that act with some of them. */
interface MemberAccount {
  readonly clients: MemberAccountClients;
  readonly steps: AfterIsolationSteps;
}

/** Who launched the instance and how that was found. */
interface Attribution {
  readonly records: readonly StepRecord[];
  readonly actor: Actor;
  readonly chain: readonly AttributionLink[];
}

/** What one response produced, before it becomes a report. */
interface ResponseParts {
  readonly disposition: 'responded' | 'refused';
  readonly dispositionReason: string | null;
  readonly steps: readonly StepRecord[];
  readonly mode: ResponseModeDecision;
  readonly attribution?: Attribution;
  readonly containment?: Containment;
  readonly freeze?: FreezeResult;
}

function undoOf(parts: ResponseParts): IncidentUndo {
  return {
    networkInterfaces: [...(parts.containment?.undo.networkInterfaces ?? [])],
    autoScalingGroup: parts.containment?.undo.autoScalingGroup ?? null,
    user: parts.freeze?.user ?? null,
    role: parts.freeze?.role ?? null,
    evidence: parts.containment?.undo.evidence ?? null,
  };
}

/**
 * The report of this delivery; for a later delivery, merged with the earlier report: the steps it completed
 * keep their records, the undo data stays the first one's, the report keeps its first timestamp (and key).
 */
function assembleReport(
  finding: FindingSummary,
  timestamp: Date,
  parts: ResponseParts,
  previous: IncidentReport | null,
): IncidentReport {
  const completed = completedSteps(previous);
  const undo = undoOf(parts);
  const evidence = parts.containment?.evidence ?? NO_EVIDENCE;
  return buildIncidentReport({
    finding,
    disposition: parts.disposition,
    dispositionReason: parts.dispositionReason,
    actor: parts.attribution?.actor ?? null,
    attributionChain: parts.attribution?.chain ?? [],
    steps: previous === null ? parts.steps : mergeSteps(previous, completed, parts.steps),
    undo: previous === null ? undo : mergeUndo(previous.undo, undo),
    evidence: previous === null ? evidence : mergeEvidence(previous.evidence, evidence),
    responseMode: parts.mode,
    deliveries: previous?.deliveries ?? [],
    timestamp,
  });
}

/** A report for a crypto-mining finding with no instance to contain: nothing is touched. */
export function reportForPerson(
  finding: FindingSummary,
  reason: string,
  now: () => Date = () => new Date(),
): IncidentReport {
  return buildIncidentReport({
    finding,
    disposition: 'needs-person',
    dispositionReason: reason,
    actor: null,
    steps: [],
    undo: EMPTY_UNDO,
    timestamp: now(),
    responseMode: { mode: 'observe', reason: 'no EC2 instance to act on' },
  });
}

/** What the registry's "would do" is told of a finding whose instance was not read (a sample; a freeze held back). */
function subjectOfFinding(finding: InstanceFinding): StepSubject {
  return {
    instanceId: finding.instanceId,
    findingId: finding.findingId,
    accountId: finding.accountId,
    instance: null,
    isolationGroupName: '',
    connectionCutGroupName: '',
    launcherArn: null,
  };
}

/** Every step of a full response, held back, for a GuardDuty sample finding: no AWS call at all. */
function sampleReport(finding: InstanceFinding, timestamp: Date, now: () => Date): IncidentReport {
  const mode: ResponseModeDecision = { mode: 'observe', reason: 'GuardDuty sample finding: always observe' };
  const steps = wouldDoAll(subjectOfFinding(finding)).map(({ step, wouldDo: would }) =>
    decidedRecord({ step, target: finding.instanceId }, heldBack('observe', would), now),
  );
  return buildIncidentReport({
    finding,
    disposition: 'responded',
    dispositionReason: null,
    actor: null,
    steps,
    undo: EMPTY_UNDO,
    responseMode: mode,
    timestamp,
  });
}

/**
 * Whether this delivery may act, and what an earlier delivery of the finding did (createResponder gets it
 * from the idempotency lock, findingLedger.ts). The engine reads while the lock is asked, and acts only after.
 */
export type Admission =
  | { readonly admitted: true; readonly previous: IncidentReport | null }
  | { readonly admitted: false; readonly reason: string };

/** What the engine answers: a report, or why this delivery did nothing at all. */
export type EngineAnswer =
  | { readonly kind: 'report'; readonly report: IncidentReport }
  | { readonly kind: 'declined'; readonly reason: string };

const ADMITTED_FIRST: Admission = { admitted: true, previous: null };

/** What the caller knows besides the finding: the admission (default: admitted, a first delivery), the hints. */
export interface ResponseContext {
  readonly admission?: Promise<Admission>;
  /** What the finding says of the instance: reads start from it while the instance is read (core's instanceHintsOf). */
  readonly hints?: InstanceHints;
}

/**
 * Responds to a crypto-mining finding on an EC2 instance and returns the incident report (never throws for
 * an AWS failure: failures are recorded in the report). Order:
 * 1. a GuardDuty sample finding: observe, no AWS call;
 * 2. at once, because none of them changes anything: the organization membership check (and the account's
 *    OUs when the response policy needs them), the admission (the idempotency lock), assuming the responder
 *    role and, as soon as the role is assumed, reading the instance (docs/decisions/0008);
 * 3. nothing acts before both the membership (an ACTIVE member, else refused) and the admission answered;
 * 4. attribution (CloudTrail, followed to the person behind an Auto Scaling group) while the instance is
 *    read; the instance's tags complete the response mode;
 * 5. containment as far as the mode allows; freeze (full mode only) as soon as attribution answers.
 * With an admitted `previous` (an earlier delivery's report), steps it completed are not run again.
 */
export async function respondToFinding(
  dependencies: ResponseEngineDependencies,
  finding: InstanceFinding,
  context: ResponseContext = {},
): Promise<EngineAnswer> {
  const admission = context.admission ?? Promise.resolve(ADMITTED_FIRST);
  const now = dependencies.now ?? (() => new Date());
  const startedAt = now();
  const { configuration, logger } = dependencies;
  if (finding.sample) {
    const admitted = await admission;
    if (!admitted.admitted) return { kind: 'declined', reason: admitted.reason };
    const timestamp = admitted.previous === null ? startedAt : new Date(admitted.previous.timestamp);
    return { kind: 'report', report: sampleReport(finding, timestamp, now) };
  }

  const policy = configuration.responsePolicy;
  const organizationalUnits =
    policyNeedsOrganizationalUnits(policy) && dependencies.organizationalUnitsOf !== undefined
      ? runAction<readonly string[] | null>(
          { step: 'resolveOrganizationalUnits', target: finding.accountId },
          async () => ({
            result: succeeded,
            value: await (dependencies.organizationalUnitsOf?.(finding.accountId) ?? Promise.resolve([])),
          }),
          null,
          now,
        )
      : Promise.resolve(null);
  const modeFor = async (instance: InstanceFacts | null): Promise<ResponseModeDecision> => {
    const ous = await organizationalUnits;
    return chooseResponseMode(policy, {
      sample: false,
      accountId: finding.accountId,
      organizationalUnitIds: ous === null ? [] : ous.value,
      instanceTags: instance?.tags ?? null,
    });
  };
  const ouRecords = async () => {
    const ous = await organizationalUnits;
    return ous === null ? [] : [ous.record];
  };

  // Reads only, all at once: none of them changes the member account, and every change waits for the answers.
  const membership = runAction(
    { step: 'verifyOrganizationMembership', target: finding.accountId },
    async () => ({ result: succeeded, value: await dependencies.isOrganizationMember(finding.accountId) }),
    null,
    now,
  );
  const roleArn = responderRoleArn(finding.partition, finding.accountId, configuration.responderRoleName);
  // The steps loaded on demand (loadAfterIsolationSteps.ts) load while AssumeRole is on the wire, which is sent
  // first; a failed import fails this step as a failed import of the clients does.
  const assumed = runAction<MemberAccount | null>(
    { step: 'assumeResponderRole', target: roleArn },
    async () => {
      const [clients, steps] = await Promise.all([
        dependencies.clients.memberAccount(finding),
        loadAfterIsolationSteps(),
      ]);
      return { result: succeeded, value: { clients, steps } };
    },
    null,
    now,
  );
  const inspection = assumed.then(({ value: reached }) =>
    reached === null ? null : inspectInstance(reached.clients.ec2, finding.instanceId),
  );
  const scope = `${finding.accountId}/${finding.region}`;
  const readsStartedEarly = assumed.then(({ value: reached }) =>
    reached === null
      ? undefined
      : startReadsFromHints(reached, context.hints ?? NO_INSTANCE_HINTS, scope, dependencies),
  );

  // A response ends with every call it started: the reads started before the answers are waited for on every
  // way out (they change nothing, but neither the next invocation nor the caller should see them still running).
  const readsSettled = async (): Promise<void> => {
    await inspection;
    const early = await readsStartedEarly;
    await Promise.allSettled([early?.securityGroups.settled(), early?.autoScalingGroup?.answer]);
  };

  const [member, admitted] = await Promise.all([membership, admission]);
  if (!admitted.admitted) {
    await readsSettled();
    return { kind: 'declined', reason: admitted.reason };
  }
  const { previous } = admitted;
  const timestamp = previous === null ? startedAt : new Date(previous.timestamp);
  const report = async (parts: ResponseParts) => {
    await readsSettled();
    return { kind: 'report', report: assembleReport(finding, timestamp, parts, previous) } as const;
  };

  if (member.value === null || !member.value.member) {
    const reason =
      member.value === null
        ? `Could not verify that account ${finding.accountId} is an ACTIVE member of the organization: nothing was changed.`
        : member.value.reason;
    logger.warn('Finding refused', { findingId: finding.findingId, accountId: finding.accountId, reason });
    return report({
      disposition: 'refused',
      dispositionReason: reason,
      steps: [member.record, ...(await ouRecords())],
      mode: await modeFor(null),
    });
  }

  const { record: assumedRecord, value: reached } = await assumed;
  if (reached === null) {
    logger.error('Could not assume the responder role', { roleArn, record: assumedRecord });
    return report({
      disposition: 'responded',
      dispositionReason: null,
      steps: [member.record, ...(await ouRecords()), assumedRecord],
      mode: await modeFor(null),
    });
  }

  const { clients, steps: afterIsolation } = reached;
  const completed = completedSteps(previous);
  const instanceRead = inspection.then((read) => read ?? { record: assumedRecord, instance: null });
  const attribution: Promise<Attribution> =
    previous !== null && attributionComplete(previous)
      ? Promise.resolve({ records: [], actor: actorOfReport(previous), chain: previous.attributionChain })
      : attribute(reached, finding, instanceRead);
  const inspected = await instanceRead;
  const earlyReads = await readsStartedEarly;
  const mode = await modeFor(inspected.instance);
  const containment = containInstance(clients, {
    instanceId: finding.instanceId,
    findingId: finding.findingId,
    accountId: finding.accountId,
    instance: inspected.instance,
    mode,
    completed,
    isolationGroupName: configuration.isolationSecurityGroupName,
    connectionCutGroupName: configuration.connectionCutSecurityGroupName,
    hibernate: configuration.hibernateInstances,
    scope,
    now,
    disableAutoScalingGroup: afterIsolation.disableAutoScalingGroup,
    ...(dependencies.groupCache === undefined ? {} : { groupCache: dependencies.groupCache }),
    ...(earlyReads === undefined ? {} : { readsStartedEarly: earlyReads }),
  });
  const freeze = attribution.then(({ actor }) =>
    freezeIfAllowed(reached, actor, finding, mode, completed, dependencies, now),
  );
  const [contained, attributed, frozen] = await Promise.all([containment, attribution, freeze]);
  const steps = [
    member.record,
    ...(await ouRecords()),
    assumedRecord,
    inspected.record,
    ...contained.records,
    ...attributed.records,
    ...frozen.records,
  ];
  for (const record of steps.filter((candidate) => candidate.status === 'failed')) {
    logger.warn('Response step failed', { findingId: finding.findingId, ...record });
  }
  return report({
    disposition: 'responded',
    dispositionReason: null,
    steps,
    mode,
    attribution: attributed,
    containment: contained,
    freeze: frozen,
  });
}

/**
 * Reads that need only what the finding says of the instance, started with the role: the isolation groups of its
 * VPCs (those the cache does not know) and its Auto Scaling group. Hints only: what acts uses them only when
 * DescribeInstances confirms them.
 */
function startReadsFromHints(
  { clients, steps }: MemberAccount,
  hints: InstanceHints,
  scope: string,
  dependencies: ResponseEngineDependencies,
) {
  const { configuration } = dependencies;
  return {
    securityGroups: lookUpSecurityGroupsEarly(clients.ec2, hints.vpcIds, {
      groupNames: [configuration.connectionCutSecurityGroupName, configuration.isolationSecurityGroupName],
      cache: dependencies.groupCache ?? createSecurityGroupCache(),
      scope,
    }),
    autoScalingGroup:
      hints.autoScalingGroupName === null
        ? null
        : steps.describeAutoScalingGroupEarly(clients.autoScaling, hints.autoScalingGroupName),
  };
}

/** Who launched the instance; for an Auto Scaling launch, followed to whoever configured the group. */
async function attribute(
  { clients, steps }: MemberAccount,
  finding: InstanceFinding,
  inspection: Promise<{ readonly instance: InstanceFacts | null }>,
): Promise<Attribution> {
  const launched = await steps.attributeLaunch(clients.cloudTrail, finding.instanceId);
  const launchLink: AttributionLink[] =
    launched.actor === UNKNOWN_ACTOR
      ? []
      : [
          {
            eventName: 'RunInstances',
            eventId: launched.actor.eventId,
            eventTime: launched.actor.eventTime,
            actorArn: launched.actor.arn,
            resourceName: finding.instanceId,
          },
        ];
  if (!isAutoScalingLaunch(launched.actor)) {
    return { records: [launched.record], actor: launched.actor, chain: launchLink };
  }
  const source = autoScalingLaunchSource(launched.launchRecord);
  const groupName = source.autoScalingGroupName ?? (await inspection).instance?.autoScalingGroupName ?? null;
  const traced = await steps.traceAutoScalingLaunch(clients.cloudTrail, { ...source, autoScalingGroupName: groupName });
  return {
    records: [launched.record, ...traced.records],
    actor: traced.person?.actor ?? launched.actor,
    chain: traced.person === null ? launchLink : [...launchLink, traced.person.link],
  };
}

async function freezeIfAllowed(
  { clients, steps }: MemberAccount,
  actor: Actor,
  finding: InstanceFinding,
  mode: ResponseModeDecision,
  completed: ReadonlySet<string>,
  dependencies: ResponseEngineDependencies,
  now: () => Date,
): Promise<FreezeResult> {
  if (completed.has('freezeUser') || completed.has('freezeRole')) return { records: [], user: null, role: null };
  const freezable = (actor.type === 'IAMUser' || actor.type === 'AssumedRole') && actor.principalArn !== null;
  const step = actor.type === 'IAMUser' ? 'freezeUser' : 'freezeRole';
  if (freezable && !stepRunsIn(step, mode.mode)) {
    const would = wouldDo(step, { ...subjectOfFinding(finding), launcherArn: actor.principalArn }) ?? '';
    const record = decidedRecord({ step, target: actor.principalArn ?? '' }, heldBack(mode.mode, would), now);
    return { records: [record], user: null, role: null };
  }
  const { configuration } = dependencies;
  return steps.freezeActor(
    clients.iam,
    actor,
    {
      accountId: finding.accountId,
      protection: {
        responderRoleName: configuration.responderRoleName,
        patterns: configuration.protectedPrincipalPatterns,
      },
    },
    now,
  );
}
