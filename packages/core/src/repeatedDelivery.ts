import type { Actor } from './classifyActor';
import type { IncidentEvidence, IncidentReport, IncidentUndo, InstanceCredentialsUndo } from './incidentReport';
import { STEPS_DONE_ONCE, type StepDoneOnce, type StepName } from './registry/stepQueries';
import { type StepRecord, stepTookEffect } from './stepOutcome';

/**
 * The steps an earlier delivery completed: it ran at least one action and every action took effect (a failed
 * attempt it fell back from aside: a hibernation that failed before a plain stop that worked). A failed
 * step, one held back by the response mode, or one skipped for lack of something (no RunInstances record yet)
 * is not complete: the next delivery runs it again.
 */
export function completedSteps(previous: IncidentReport | null): ReadonlySet<StepDoneOnce> {
  const completed = new Set<StepDoneOnce>();
  if (previous === null) return completed;
  for (const step of STEPS_DONE_ONCE) {
    const records = previous.steps.filter((record) => record.step === step);
    if (stepTookEffect(records)) completed.add(step);
  }
  // The actor is one answer: trace is only complete together with the launch record it followed.
  if (!completed.has('attributeLaunch')) {
    completed.delete('traceAutoScalingLaunch');
    completed.delete('traceLaunchRequest');
    completed.delete('followActor');
  }
  return completed;
}

/** True when the earlier delivery's actor can be reused as is (attribution and any trace behind a service worked). */
export function attributionComplete(previous: IncidentReport | null): boolean {
  if (previous === null) return false;
  const completed = completedSteps(previous);
  const traces = ['traceAutoScalingLaunch', 'traceLaunchRequest'] as const;
  const tracedButIncomplete = traces.some(
    (trace) => previous.steps.some((record) => record.step === trace) && !completed.has(trace),
  );
  return completed.has('attributeLaunch') && !tracedButIncomplete;
}

/** The actor a report names, as the engine holds it. */
export function actorOfReport(report: IncidentReport): Actor {
  const { actor } = report;
  return {
    type: actor.type,
    arn: actor.arn,
    sourceIp: actor.sourceIp,
    userAgent: actor.userAgent,
    principalArn: actor.principalArn,
    identityType: actor.identityType,
    invokedBy: actor.invokedBy,
    eventTime: actor.launchEventTime,
    eventId: actor.launchEventId,
    accessKeyId: actor.accessKeyId ?? null,
  };
}

/**
 * The steps of a repeated delivery: the earlier records of the steps it completed (with their original
 * times), then this delivery's records of everything else.
 */
export function mergeSteps(
  previous: IncidentReport,
  completed: ReadonlySet<StepName>,
  current: readonly StepRecord[],
): StepRecord[] {
  return [
    ...previous.steps.filter((record) => completed.has(record.step)),
    ...current.filter((record) => !completed.has(record.step)),
  ];
}

/**
 * Undo data is written once: what the first delivery recorded is the pre-incident state (a later reading
 * would find the isolation group on the ENI, or the group at 0/0/0). A later delivery only adds what the
 * earlier one did not have (an ENI it failed to move, a freeze that failed before).
 */
export function mergeUndo(previous: IncidentUndo, current: IncidentUndo): IncidentUndo {
  const knownEnis = new Set(previous.networkInterfaces.map((eni) => eni.networkInterfaceId));
  const evidence =
    previous.evidence === null || current.evidence === null
      ? (previous.evidence ?? current.evidence)
      : {
          ...previous.evidence,
          // Once the response turned protection on, a later reading sees its own doing: unknown stays unknown.
          previousTerminationProtection: previous.evidence.terminationProtectionEnabled
            ? previous.evidence.previousTerminationProtection
            : (previous.evidence.previousTerminationProtection ?? current.evidence.previousTerminationProtection),
          terminationProtectionEnabled:
            previous.evidence.terminationProtectionEnabled || current.evidence.terminationProtectionEnabled,
          volumesKeptOnTermination: unionBy(
            previous.evidence.volumesKeptOnTermination,
            current.evidence.volumesKeptOnTermination,
            (volume) => volume.volumeId,
          ),
          taggedResourceIds: [
            ...new Set([...previous.evidence.taggedResourceIds, ...current.evidence.taggedResourceIds]),
          ],
          incidentTagKeys: [...new Set([...previous.evidence.incidentTagKeys, ...current.evidence.incidentTagKeys])],
        };
  return {
    ...firstReading(previous, current),
    networkInterfaces: [
      ...previous.networkInterfaces,
      ...current.networkInterfaces.filter((eni) => !knownEnis.has(eni.networkInterfaceId)),
    ],
    autoScalingGroup: previous.autoScalingGroup ?? current.autoScalingGroup,
    user:
      previous.user === null || current.user === null
        ? (previous.user ?? current.user)
        : {
            ...previous.user,
            loginProfileDeleted: previous.user.loginProfileDeleted || current.user.loginProfileDeleted,
            deactivatedAccessKeyIds: [
              ...new Set([...previous.user.deactivatedAccessKeyIds, ...current.user.deactivatedAccessKeyIds]),
            ],
            denyPolicyName: previous.user.denyPolicyName ?? current.user.denyPolicyName,
          },
    role:
      previous.role === null || current.role === null
        ? (previous.role ?? current.role)
        : {
            ...previous.role,
            // The first reading is the original; a later one may read our own deny.
            originalTrustPolicy: previous.role.originalTrustPolicy ?? current.role.originalTrustPolicy,
            trustPolicyReplaced: previous.role.trustPolicyReplaced || current.role.trustPolicyReplaced,
            revokeSessionsPolicyName: previous.role.revokeSessionsPolicyName ?? current.role.revokeSessionsPolicyName,
          },
    evidence,
    instanceCredentials: mergeInstanceCredentials(previous.instanceCredentials, current.instanceCredentials),
  };
}

/**
 * The first delivery read the profile, the role and the metadata options before anything changed (a later one finds
 * no profile and the endpoint off); what either delivery did (a slot filled, the policy attached, the profile
 * disassociated, the endpoint turned off) stays recorded, so release undoes it all.
 */
function mergeInstanceCredentials(
  previous: InstanceCredentialsUndo | null | undefined,
  current: InstanceCredentialsUndo | null | undefined,
): InstanceCredentialsUndo | null {
  if (previous == null || current == null) return previous ?? current ?? null;
  return {
    ...firstReading(previous, current),
    denyPolicyAttached: previous.denyPolicyAttached || current.denyPolicyAttached,
    metadataDisabled: previous.metadataDisabled || current.metadataDisabled,
  };
}

export function mergeEvidence(previous: IncidentEvidence, current: IncidentEvidence): IncidentEvidence {
  return {
    snapshots: unionBy(previous.snapshots, current.snapshots, (snapshot) => snapshot.volumeId),
    hibernated: previous.hibernated || current.hibernated,
  };
}

/** Each field as the first delivery read it, when it has one: the pre-incident state (the default rule of undo). */
function firstReading<T extends object>(previous: T, current: T): T {
  const merged = { ...current };
  for (const key of Object.keys(current) as (keyof T)[]) merged[key] = previous[key] ?? current[key];
  return merged;
}

function unionBy<T>(first: readonly T[], second: readonly T[], keyOf: (item: T) => string): T[] {
  const seen = new Set(first.map(keyOf));
  return [...first, ...second.filter((item) => !seen.has(keyOf(item)))];
}
