import type { DerivedInstanceFinding } from '../attackSequenceInstances';
import type { IncidentReport } from '../incidentReport';

/** The ledger key of a linked incident: under its finding's own (`responder-state/<id>/linked/<i-…>/`). */
export function linkedInstanceFindingId(findingId: string, instanceId: string): string {
  return `${findingId}/linked/${instanceId}`;
}

/** Whether a finding id is a linked incident's (`<findingId>/linked/<i-…>`), not a GuardDuty finding's own. */
export function isLinkedInstanceFindingId(findingId: string): boolean {
  return /\/linked\/i-[0-9a-f]{8,17}$/.test(findingId);
}

const GUARDDUTY_FINDING_ID = /^[A-Za-z0-9_.:-]{1,300}$/;

/**
 * The linked incident a report asks for: the instance whose role credentials launched the finding's instance,
 * answered as a finding of its own (`<findingId>/linked/<i-…>`, same account, region and type, its own ledger
 * entry, response and report), so a repeated delivery acts on it once. One level only: a linked incident's own
 * launcher is reported, not followed (a chain of instances is for a person), and neither is one of an attack
 * sequence's instances (the sequence already names the instances it saw). Null when there is none.
 */
export function linkedInstanceFindingOf(report: IncidentReport): DerivedInstanceFinding | null {
  const decision = report.freezeDecision;
  if (decision?.kind !== 'contain-launching-instance' || decision.linkedInstanceId === null) return null;
  if (!mayLink(report)) return null;
  return linkedFinding(report, decision.linkedInstanceId, report.region);
}

/**
 * The linked incidents of the attributed person's other running instances the report says to contain (action
 * `contain`), each in its own region (the member account's clients of that region answer it). The same ledger as
 * any linked incident: a repeated delivery reaches the same ids and acts on none twice.
 */
export function followedInstanceFindingsOf(report: IncidentReport): DerivedInstanceFinding[] {
  if (!mayLink(report)) return [];
  return (report.linkedInstances ?? [])
    .filter((linked) => linked.action === 'contain')
    .map((linked) => linkedFinding(report, linked.instanceId, linked.region));
}

/** A GuardDuty finding's own report (not a sample, not a derived finding's) that the engine responded to. */
function mayLink(report: IncidentReport): boolean {
  return !report.sample && report.disposition === 'responded' && GUARDDUTY_FINDING_ID.test(report.findingId);
}

function linkedFinding(report: IncidentReport, instanceId: string, region: string): DerivedInstanceFinding {
  return {
    findingId: linkedInstanceFindingId(report.findingId, instanceId),
    findingType: report.guarddutyFindingType,
    severity: report.severity,
    accountId: report.accountId,
    region,
    partition: report.partition,
    resourceType: report.resourceType,
    instanceId,
    sample: false,
    guardDutyFinding: report.guardDutyFinding ?? null,
  };
}
