import {
  attributionComplete,
  chooseResponseMode,
  completedSteps,
  NO_INSTANCE_HINTS,
  type ResponseModeDecision,
  succeeded,
} from '@cryptominer-defense/core/cold-start';
import { afterIsolation, onIsolationPath } from './clients/callClass';
import { responderRoleArn } from './clients/createAssumedRoleCredentials';
import { withFindingSession } from './clients/findingSession';
import { assembleReport, type ResponseParts } from './response/assembleReport';
import type { Attribution } from './response/attributeInstance';
import { startContainmentQuota } from './response/containmentQuota';
import { refusalReason, startGuardReads } from './response/guardReads';
import { pausedMode, pauseSwitchRecords } from './response/pauseSwitchGuard';
import { sampleReport } from './response/reportsWithoutResponse';
import type {
  Admission,
  AnsweredElsewhere,
  EngineAnswer,
  InstanceFinding,
  MemberAccount,
  ResponseContext,
  ResponseEngineDependencies,
} from './response/responseTypes';
import { runAction } from './runAction';
import type { InstanceFacts } from './steps/inspectInstance';
import { loadStepsOnDemand } from './steps/loadStepsOnDemand';

export { reportForPerson } from './response/reportsWithoutResponse';
export type {
  Admission,
  AnsweredElsewhere,
  EngineAnswer,
  ResponseContext,
  ResponseEngineDependencies,
} from './response/responseTypes';

const ADMITTED_FIRST: Admission = { admitted: true, previous: null };

/** What the report of a finding whose instance another incident answers says, for a person and for a query. */
function answeredElsewhereReason(instanceId: string, holder: AnsweredElsewhere): string {
  return `Instance ${instanceId} is answered by the response to finding ${holder.findingId}, which claimed it first (${holder.claimedAt}, ${holder.claimKey}): see that incident's report ("cli reports show ${holder.findingId}"). Nothing was changed by this one.`;
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
 * 5. containment as far as the mode allows; freeze (full mode only) as soon as attribution answers, and beside it
 *    the person's other running instances, in every region (listed; contained as linked incidents by createResponder).
 * With an admitted `previous` (an earlier delivery's report), steps it completed are not run again.
 */
export function respondToFinding(
  dependencies: ResponseEngineDependencies,
  finding: InstanceFinding,
  context: ResponseContext = {},
): Promise<EngineAnswer> {
  // Every change in the member account goes under this finding's own session (clients/findingSession.ts); a
  // response starts on the isolation path, whatever started it (a linked incident is started by another's response).
  return withFindingSession(finding.findingId, () =>
    onIsolationPath(async () => {
      // Its place in the account and region's isolation gate (decision 0026), taken at once: a burst's responses are
      // all counted before any of them reaches the account. Left on every way out: no call waits for a response over.
      const ticket = finding.sample ? undefined : dependencies.clients.isolationGate?.(finding).admit();
      try {
        return await respondInFindingSession(dependencies, finding, context, () => ticket?.isolated());
      } finally {
        ticket?.leave();
      }
    }),
  );
}

async function respondInFindingSession(
  dependencies: ResponseEngineDependencies,
  finding: InstanceFinding,
  context: ResponseContext,
  /** Told once the isolation path is done: the gate stops holding others' work for this response. */
  isolated: () => void,
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
  // Reads only, all at once: none of them changes the member account, and every change waits for the answers.
  const { membership, organizationalUnits, pauseSwitch } = startGuardReads(dependencies, finding, now);
  const modeFor = async (instance: InstanceFacts | null): Promise<ResponseModeDecision> => {
    const ous = await organizationalUnits;
    const paused = await pausedMode(pauseSwitch);
    if (paused !== null) return paused;
    return chooseResponseMode(policy, {
      sample: false,
      accountId: finding.accountId,
      organizationalUnitIds: ous?.value ?? [],
      instanceTags: instance?.tags ?? null,
    });
  };
  // The records of the reads beside the membership: the OUs, and the pause switch when it forced the mode.
  const ouRecords = async () => {
    const ous = await organizationalUnits;
    return [...(ous === null ? [] : [ous.record]), ...(await pauseSwitchRecords(pauseSwitch))];
  };
  const roleArn = responderRoleArn(finding.partition, finding.accountId, configuration.responderRoleName);
  // The steps loaded on demand (loadStepsOnDemand.ts: everything from the instance read on, isolation included)
  // load while AssumeRole is on the wire, which is sent first; a failed import fails this step as a failed import
  // of the clients does, and the response goes on as without the role.
  const assumed = runAction<MemberAccount | null>(
    { step: 'assumeResponderRole', target: roleArn },
    async () => {
      const [clients, steps] = await Promise.all([dependencies.clients.memberAccount(finding), loadStepsOnDemand()]);
      return { result: succeeded, value: { clients, steps } };
    },
    null,
    now,
  );
  const inspection = assumed.then(({ value: reached }) =>
    reached === null ? null : reached.steps.inspectInstance(reached.clients.ec2, finding.instanceId),
  );
  // The blast-radius cap's slots, claimed beside the instance read once the response may act (containmentQuota.ts).
  const mayAct = Promise.all([membership, admission, assumed]).then(([member, admitted, reached]) =>
    admitted.admitted &&
    admitted.answeredBy === undefined &&
    refusalReason(member.value, finding.accountId) === null &&
    reached.value !== null
      ? { previous: admitted.previous }
      : null,
  );
  const quota = startContainmentQuota(dependencies, finding, { mayAct, accountMode: modeFor(null) }, now);
  const scope = `${finding.accountId}/${finding.region}`;
  const readsStartedEarly = assumed.then(({ value: reached }) =>
    reached === null
      ? undefined
      : reached.steps.startReadsFromHints(reached, context.hints ?? NO_INSTANCE_HINTS, scope, dependencies),
  );

  // A response ends with every call it started: the reads started before the answers are waited for on every
  // way out (they change nothing, but neither the next invocation nor the caller should see them still running).
  const readsSettled = async (): Promise<void> => {
    await Promise.all([inspection, quota.settled()]);
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
  // The admission's records (the instance's claim) are the report's too: a claim taken over asks a person.
  const admissionRecords = admitted.records ?? [];
  const report = async (parts: ResponseParts) => {
    await readsSettled();
    const steps = [...admissionRecords, ...parts.steps];
    return { kind: 'report', report: assembleReport(finding, timestamp, { ...parts, steps }, previous) } as const;
  };

  const reason = refusalReason(member.value, finding.accountId);
  if (reason !== null) {
    logger.warn('Finding refused', { findingId: finding.findingId, accountId: finding.accountId, reason });
    return report({
      disposition: 'refused',
      dispositionReason: reason,
      steps: [member.record, ...(await ouRecords())],
      mode: await modeFor(null),
    });
  }

  if (admitted.answeredBy !== undefined) {
    // Another finding's response claimed the instance first: it answers it (its report), nothing is done twice.
    logger.info('Instance answered by another incident', {
      findingId: finding.findingId,
      answeredBy: admitted.answeredBy.findingId,
      claimKey: admitted.answeredBy.claimKey,
    });
    return report({
      disposition: 'answered-elsewhere',
      dispositionReason: answeredElsewhereReason(finding.instanceId, admitted.answeredBy),
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

  const { clients, steps: onDemand } = reached;
  const completed = completedSteps(previous);
  const instanceRead = inspection.then((read) => read ?? { record: assumedRecord, instance: null });
  const attribution: Promise<Attribution> =
    previous !== null && attributionComplete(previous)
      ? Promise.resolve(onDemand.attributionOfReport(previous, configuration))
      : afterIsolation(() =>
          onDemand.attributeInstance(reached, finding, instanceRead, {
            hints: context.hints ?? NO_INSTANCE_HINTS,
            // The configuration carries the attribution settings under their own names.
            settings: configuration,
          }),
        );
  const inspected = await instanceRead;
  const earlyReads = await readsStartedEarly;
  const { mode, records: quotaRecords } = await quota.bound(await modeFor(inspected.instance));
  const containment = onDemand.containInstance(clients, {
    instanceId: finding.instanceId,
    findingId: finding.findingId,
    accountId: finding.accountId,
    region: finding.region,
    partition: finding.partition,
    protection: {
      responderRoleName: configuration.responderRoleName,
      patterns: configuration.protectedPrincipalPatterns,
    },
    instance: inspected.instance,
    mode,
    completed,
    isolationGroupName: configuration.isolationSecurityGroupName,
    connectionCutGroupName: configuration.connectionCutSecurityGroupName,
    hibernate: configuration.hibernateInstances,
    scope,
    now,
    disableAutoScalingGroup: onDemand.disableAutoScalingGroup,
    revokeInstanceCredentials: onDemand.revokeInstanceCredentials,
    ...(dependencies.groupCache === undefined ? {} : { groupCache: dependencies.groupCache }),
    ...(earlyReads === undefined ? {} : { readsStartedEarly: earlyReads }),
    isolated,
  });
  // A callback of a then runs in the class where the then was called: named here, as attribution's.
  const freeze = attribution.then((attributed) =>
    afterIsolation(() => onDemand.freezeIfAllowed(reached, attributed, finding, mode, completed, dependencies, now)),
  );
  const followed = attribution.then((attributed) =>
    afterIsolation(() =>
      onDemand.followAttributedPerson(
        reached,
        attributed,
        finding,
        mode,
        { report: previous, completed },
        dependencies,
      ),
    ),
  );
  const [contained, attributed, frozen, person] = await Promise.all([containment, attribution, freeze, followed]);
  const steps = [
    member.record,
    ...(await ouRecords()),
    assumedRecord,
    inspected.record,
    ...quotaRecords,
    ...contained.records,
    ...attributed.records,
    ...frozen.records,
    ...person.records,
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
    ...(person.linkedInstances === undefined ? {} : { linkedInstances: person.linkedInstances }),
  });
}
