import { INCIDENT_REPORT_PREFIX } from './incidentReportKey';

/** Release records live beside the reports, not among them: Athena's report tables read `incidents/` only. */
export const RELEASE_RECORD_PREFIX = 'releases/';

/** `releases/<the report's key without incidents/ and .json>/`: where every release of one incident is kept. */
export function releaseRecordsPrefixOf(reportKey: string): string {
  const stem = (
    reportKey.startsWith(INCIDENT_REPORT_PREFIX) ? reportKey.slice(INCIDENT_REPORT_PREFIX.length) : reportKey
  ).replace(/\.json$/, '');
  return `${RELEASE_RECORD_PREFIX}${stem}/`;
}

/**
 * `releases/<the report's key without incidents/ and .json>/<epoch milliseconds>-<4 random hex>.json`: every
 * release of an incident is its own object, found by the report's key (two releases in one millisecond still
 * get two objects).
 */
export function releaseRecordKey(reportKey: string, releasedAt: Date): string {
  const suffix = [...crypto.getRandomValues(new Uint8Array(2))].map((byte) => byte.toString(16).padStart(2, '0'));
  return `${releaseRecordsPrefixOf(reportKey)}${releasedAt.getTime()}-${suffix.join('')}.json`;
}
