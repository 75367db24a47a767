import { INCIDENT_REPORT_PREFIX } from './incidentReportKey';

/** Approval records live beside the reports, not among them: Athena's report tables read `incidents/` only. */
export const APPROVAL_RECORD_PREFIX = 'approvals/';

/** `approvals/<the report's key without incidents/ and .json>/`: every approval record of one incident. */
export function approvalRecordsPrefixOf(reportKey: string): string {
  const stem = (
    reportKey.startsWith(INCIDENT_REPORT_PREFIX) ? reportKey.slice(INCIDENT_REPORT_PREFIX.length) : reportKey
  ).replace(/\.json$/, '');
  return `${APPROVAL_RECORD_PREFIX}${stem}/`;
}

/**
 * `approvals/<stem>/decision.json`: the one decision on an incident in approval mode, approved or rejected. One fixed
 * key, written with If-None-Match: of two people deciding at once, one wins and the other changes nothing.
 */
export function approvalDecisionKey(reportKey: string): string {
  return `${approvalRecordsPrefixOf(reportKey)}decision.json`;
}

/**
 * `approvals/<stem>/outcome-<epoch milliseconds>-<4 random hex>.json`: what one run of the approved steps did (a
 * retry after a failure is a run of its own).
 */
export function approvalOutcomeKey(reportKey: string, ranAt: Date): string {
  const suffix = [...crypto.getRandomValues(new Uint8Array(2))].map((byte) => byte.toString(16).padStart(2, '0'));
  return `${approvalRecordsPrefixOf(reportKey)}outcome-${ranAt.getTime()}-${suffix.join('')}.json`;
}
