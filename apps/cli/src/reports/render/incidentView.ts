import type { IncidentReport, StepRecord } from '@cryptominer-defense/core';
import { leftForPerson } from '@cryptominer-defense/release';
import { whatReleaseUndoes } from './whatReleaseUndoes';

/** One row of the timeline: one action of one step, in the order the engine started them. */
export interface TimelineRow {
  readonly step: string;
  readonly target: string;
  readonly status: StepRecord['status'];
  readonly startedAt: string;
  readonly endedAt: string;
  /** Milliseconds after the first step started, and how long this one took. */
  readonly offsetMs: number;
  readonly durationMs: number;
  /** The AWS error code of a failed step; null otherwise. */
  readonly errorCode: string | null;
  /** The error message, the reason it was skipped or already done, or what the mode held back. */
  readonly detail: string;
}

/**
 * A report as a person reads it, the same for every format: what happened, the timeline, what needs a person, what
 * release would undo and what it leaves. Every string in it is the report's own text, unescaped: each renderer
 * escapes for its format, because report fields (tags, names, user agents) come from whoever ran the miner.
 */
export interface IncidentView {
  readonly title: string;
  readonly location: string;
  readonly facts: readonly { readonly label: string; readonly value: string }[];
  readonly outcome: readonly { readonly label: string; readonly done: boolean }[];
  readonly timeline: readonly TimelineRow[];
  readonly needsPerson: readonly string[];
  readonly releaseUndoes: readonly string[];
  readonly releaseLeaves: readonly string[];
  readonly releases: readonly string[];
}

function detailOf(step: StepRecord): string {
  switch (step.status) {
    case 'failed':
      return step.errorMessage;
    case 'skipped':
      return step.wouldDo === undefined ? step.reason : `${step.reason}; would ${step.wouldDo}`;
    case 'already-done':
      return step.reason ?? '';
    case 'succeeded':
      return '';
  }
}

function timelineOf(steps: readonly StepRecord[]): TimelineRow[] {
  const ordered = steps
    .map((step, index) => ({ step, index, started: Date.parse(step.startedAt) }))
    .sort((left, right) => left.started - right.started || left.index - right.index);
  const first = ordered[0]?.started ?? 0;
  return ordered.map(({ step, started }) => ({
    step: step.action === undefined ? step.step : `${step.step}.${step.action}`,
    target: step.target ?? '',
    status: step.status,
    startedAt: step.startedAt,
    endedAt: step.endedAt,
    offsetMs: started - first,
    durationMs: Date.parse(step.endedAt) - started,
    errorCode: step.status === 'failed' ? step.errorCode : null,
    detail: detailOf(step),
  }));
}

function actorOf(actor: IncidentReport['actor']): string {
  return [
    actor.type,
    actor.arn,
    actor.sourceIp === null ? null : `from ${actor.sourceIp}`,
    actor.userAgent === null ? null : `(${actor.userAgent})`,
  ]
    .filter((part) => part !== null)
    .join(' ');
}

export function incidentViewOf(
  bucket: string,
  key: string,
  report: IncidentReport,
  releaseKeys: readonly string[],
): IncidentView {
  const { response } = report;
  const subject = report.instanceId ?? report.resourceType;
  return {
    title: `${report.guarddutyFindingType} on ${subject} in ${report.accountId} ${report.region}`,
    location: `s3://${bucket}/${key}`,
    facts: [
      {
        label: 'Finding',
        value: `${report.findingId} (severity ${report.severity}${report.sample ? ', a GuardDuty sample' : ''})`,
      },
      { label: 'Finding type', value: report.guarddutyFindingType },
      { label: 'Instance', value: report.instanceId ?? `none (${report.resourceType})` },
      { label: 'Account', value: report.accountId },
      { label: 'Region', value: report.region },
      { label: 'Mode', value: `${report.responseMode.mode}: ${report.responseMode.reason}` },
      {
        label: 'Disposition',
        value: `${report.disposition}${report.dispositionReason === null ? '' : `: ${report.dispositionReason}`}`,
      },
      { label: 'Actor', value: actorOf(report.actor) },
      ...(report.freezeDecision === undefined
        ? []
        : [{ label: 'Frozen', value: `${report.freezeDecision.kind}: ${report.freezeDecision.reason}` }]),
      { label: 'Reported at', value: report.timestamp },
    ],
    outcome: [
      { label: 'Network isolated', done: response.networkIsolated },
      { label: 'Auto Scaling disabled', done: response.asgDisabled },
      { label: 'Instance stopped', done: response.instanceStopped },
      { label: 'Actor frozen', done: response.actorFrozen },
    ],
    timeline: timelineOf(report.steps),
    needsPerson: report.manualInterventionReasons,
    releaseUndoes: whatReleaseUndoes(report.undo),
    releaseLeaves: leftForPerson(report),
    releases: releaseKeys.map((releaseKey) => `s3://${bucket}/${releaseKey}`),
  };
}
