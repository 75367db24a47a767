import {
  buildIncidentReport,
  EMPTY_UNDO,
  type FindingSummary,
  heldBack,
  type IncidentReport,
  type ResponseModeDecision,
  type StepSubject,
  wouldDoAll,
} from '@cryptominer-defense/core/cold-start';
import { decidedRecord } from '../runAction';
import type { InstanceFinding } from './responseTypes';

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
export function subjectOfFinding(finding: InstanceFinding): StepSubject {
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
export function sampleReport(finding: InstanceFinding, timestamp: Date, now: () => Date): IncidentReport {
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
