import type { ApprovalPending } from './approvalPending';
import { type LinkedInstance, maximumReachedReason } from './attribution/followActor';
import { type Actor, UNKNOWN_ACTOR } from './classifyActor';
import type { FindingSummary } from './classifyFinding';
import {
  type AttributionLink,
  type Delivery,
  type Disposition,
  INCIDENT_REPORT_SCHEMA_VERSION,
  type IncidentEvidence,
  type IncidentReport,
  type IncidentUndo,
} from './incidentReport';
import { STEPS_AWAITING_APPROVAL, type StepAwaitingApproval, type StepName } from './registry/stepQueries';
import type { ResponseModeDecision } from './responsePolicy';
import { fallbackOf, type StepRecord, stepTookEffect } from './stepOutcome';

/** Everything the engine learned and did for one finding; the report is derived from it. */
export interface ResponseRecord {
  readonly finding: FindingSummary;
  readonly disposition: Disposition;
  /** Why the finding was refused or needs a person; null when the engine responded. */
  readonly dispositionReason: string | null;
  /** Who launched the instance; null when attribution did not run. */
  readonly actor: Actor | null;
  readonly steps: readonly StepRecord[];
  readonly undo: IncidentUndo;
  readonly timestamp: Date;
  /** Default: full, by the policy's default. */
  readonly responseMode?: ResponseModeDecision;
  /** Default: just the RunInstances record of the actor, if there is one. */
  readonly attributionChain?: readonly AttributionLink[];
  readonly evidence?: IncidentEvidence;
  readonly deliveries?: readonly Delivery[];
  /** Whom the response freezes and why; absent when attribution did not run. */
  readonly freezeDecision?: IncidentReport['freezeDecision'];
  /** The attributed person's other running instances and what was done with each; absent when none was followed. */
  readonly linkedInstances?: readonly LinkedInstance[];
}

export const EMPTY_UNDO: IncidentUndo = {
  networkInterfaces: [],
  autoScalingGroup: null,
  user: null,
  role: null,
  evidence: null,
  stopProtection: null,
  networkAclEntries: [],
  lambdaFunction: null,
  instanceCredentials: null,
};

export const NO_EVIDENCE: IncidentEvidence = { snapshots: [], hibernated: false };

export const FULL_BY_DEFAULT: ResponseModeDecision = { mode: 'full', reason: 'policy default: full' };

function recordsOf(steps: readonly StepRecord[], ...names: StepName[]): StepRecord[] {
  return steps.filter((record) => names.includes(record.step));
}

function describe(record: StepRecord): string {
  const action = record.action === undefined ? '' : ` ${record.action}`;
  const target = record.target === undefined ? '' : ` (${record.target})`;
  return `${record.step}${action}${target}`;
}

function actorReason(actor: Actor, attributionSucceeded: boolean): string | null {
  switch (actor.type) {
    case 'Root':
      return 'The root user launched the instance: IAM cannot restrict root. Secure the root user (password, MFA, access keys).';
    case 'AWSService':
      return `An AWS service launched the instance (${actor.invokedBy ?? actor.principalArn ?? actor.arn ?? 'unknown service'}): find who configured it (the Auto Scaling group or its launch template) and freeze that identity.`;
    case 'Unknown':
      // A failed, skipped or missing attribution already gave its own reason.
      if (!attributionSucceeded) return null;
      return actor.identityType === null
        ? 'Who launched the instance is unknown (no RunInstances record found in CloudTrail): investigate.'
        : `The instance was launched by a ${actor.identityType} identity (${actor.arn ?? 'no ARN'}), which this tool does not freeze: investigate.`;
    default:
      return null;
  }
}

/**
 * In approval mode, the steps held back for a person (the stop and the freeze), with what each would do; null in
 * any other mode, or when nothing waits (a Lambda finding: its throttle is the whole response).
 */
function pendingApproval(record: ResponseRecord): ApprovalPending | null {
  if ((record.responseMode ?? FULL_BY_DEFAULT).mode !== 'approval' || record.disposition !== 'responded') return null;
  const pendingSteps = record.steps.flatMap((step) =>
    step.status === 'skipped' &&
    step.wouldDo !== undefined &&
    (STEPS_AWAITING_APPROVAL as readonly StepName[]).includes(step.step)
      ? [{ step: step.step as StepAwaitingApproval, target: step.target ?? '', wouldDo: step.wouldDo }]
      : [],
  );
  return pendingSteps.length === 0 ? null : { status: 'pending', pendingSteps };
}

function failureReason(step: Extract<StepRecord, { readonly status: 'failed' }>): string {
  const fallback = fallbackOf(step);
  const instead = fallback === null ? '' : ` (fell back: ${fallback})`;
  return `${describe(step)} failed: ${step.errorCode}: ${step.errorMessage}${instead}`;
}

function manualInterventionReasons(record: ResponseRecord): string[] {
  if (record.disposition === 'answered-elsewhere') {
    // The incident that claimed the instance first answers it, and its report asks a person what it leaves undone;
    // this one changed nothing, so only a failure of its own (a lost delivery record) is for a person.
    return record.steps.flatMap((step) => (step.status === 'failed' ? [failureReason(step)] : []));
  }
  const reasons: string[] = [];
  if (record.disposition !== 'responded') reasons.push(record.dispositionReason ?? `Finding ${record.disposition}.`);
  for (const step of record.steps) {
    if (step.status === 'failed') reasons.push(failureReason(step));
    // Not being in an Auto Scaling group is the normal case; every other skip leaves something undone.
    // Steps the response mode held back are summed up in one reason below.
    if (step.status === 'skipped' && step.wouldDo === undefined && step.step !== 'disableAutoScalingGroup') {
      reasons.push(`${describe(step)} skipped: ${step.reason}`);
    }
  }
  const mode = record.responseMode ?? FULL_BY_DEFAULT;
  // A Lambda finding has no stop and no freeze: contain and full both throttle the function.
  const containIsWhole = record.finding.instanceId === null;
  const approval = pendingApproval(record);
  if (approval !== null) {
    const waiting = approval.pendingSteps.map((step) => step.wouldDo).join('; ');
    reasons.push(
      `Approval mode (${mode.reason}): contained; waiting for a person: ${waiting}. Run "cli approve ${record.finding.findingId}" (with your credentials; you are recorded) or "cli reject ${record.finding.findingId} --reason <why>".`,
    );
  } else if (
    record.disposition === 'responded' &&
    !record.finding.sample &&
    mode.mode !== 'full' &&
    mode.mode !== 'approval' &&
    !(containIsWhole && mode.mode === 'contain')
  ) {
    reasons.push(
      mode.mode === 'observe'
        ? `Observe mode (${mode.reason}): nothing was changed; the steps say what would have been done. Decide and act.`
        : `Contain mode (${mode.reason}): the instance was not stopped and its launcher not frozen. Decide whether to.`,
    );
  }
  if (record.disposition === 'responded') {
    const attributionSucceeded = stepTookEffect(recordsOf(record.steps, 'attributeLaunch'));
    const reason = actorReason(record.actor ?? UNKNOWN_ACTOR, attributionSucceeded);
    if (reason !== null) reasons.push(reason);
    const beyondMaximum = maximumReachedReason(record.linkedInstances ?? []);
    if (beyondMaximum !== null) reasons.push(beyondMaximum);
    if (record.finding.resourceType === 'Lambda') {
      reasons.push(
        'Who put the mining code in the Lambda function is not attributed: investigate its code and configuration changes (CloudTrail UpdateFunctionCode, UpdateFunctionConfiguration) before releasing it.',
      );
    }
  }
  return reasons;
}

/**
 * Derives the incident report from what the engine did. Every flag comes from the step records:
 * a flag is true only if every action behind it succeeded (or found the state already right).
 */
export function buildIncidentReport(record: ResponseRecord): IncidentReport {
  const { finding, steps } = record;
  const actor = record.actor ?? UNKNOWN_ACTOR;
  const reasons = manualInterventionReasons(record);
  const autoScaling = recordsOf(steps, 'disableAutoScalingGroup');
  const mode = record.responseMode ?? FULL_BY_DEFAULT;
  const chain =
    record.attributionChain ??
    (actor.eventId === null && actor.arn === null
      ? []
      : [
          {
            eventName: 'RunInstances',
            eventId: actor.eventId,
            eventTime: actor.eventTime,
            actorArn: actor.arn,
            resourceName: finding.instanceId,
          },
        ]);
  return {
    schemaVersion: INCIDENT_REPORT_SCHEMA_VERSION,
    timestamp: record.timestamp.toISOString(),
    disposition: record.disposition,
    dispositionReason: record.dispositionReason,
    findingId: finding.findingId,
    guarddutyFindingType: finding.findingType,
    severity: finding.severity,
    accountId: finding.accountId,
    region: finding.region,
    partition: finding.partition,
    resourceType: finding.resourceType,
    sample: finding.sample,
    responseMode: { ...mode },
    approval: pendingApproval(record),
    instanceId: finding.instanceId,
    actor: {
      type: actor.type,
      arn: actor.arn,
      sourceIp: actor.sourceIp,
      userAgent: actor.userAgent,
      principalArn: actor.principalArn,
      identityType: actor.identityType,
      invokedBy: actor.invokedBy,
      launchEventTime: actor.eventTime,
      launchEventId: actor.eventId,
      accessKeyId: actor.accessKeyId,
    },
    attributionChain: [...chain],
    ...(record.freezeDecision === undefined ? {} : { freezeDecision: record.freezeDecision }),
    ...(record.linkedInstances === undefined ? {} : { linkedInstances: [...record.linkedInstances] }),
    ...(finding.guardDutyFinding === undefined ? {} : { guardDutyFinding: finding.guardDutyFinding }),
    evidence: record.evidence ?? NO_EVIDENCE,
    deliveries: [...(record.deliveries ?? [])],
    response: {
      // A skipped Auto Scaling step (instance in no group) disabled nothing: the flag stays false.
      asgDisabled: stepTookEffect(autoScaling),
      networkIsolated:
        stepTookEffect(recordsOf(steps, 'inspectInstance')) &&
        stepTookEffect(recordsOf(steps, 'isolateNetworkInterfaces')),
      instanceStopped: stepTookEffect(recordsOf(steps, 'stopInstance')),
      actorFrozen: stepTookEffect(recordsOf(steps, 'freezeUser', 'freezeRole')),
      rootInvolved: actor.type === 'Root',
      manualInterventionRequired: reasons.length > 0,
    },
    manualInterventionReasons: reasons,
    steps: [...steps],
    undo: record.undo,
  };
}
