import type { IncidentReport } from '@cryptominer-defense/core';

/** What a named query must return over a set of reports, worked out from the reports themselves. */
export interface ExpectedRows {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
  /** The column the query orders by, descending. */
  readonly orderedBy: string;
}

const DAY_MS = 86_400_000;

/**
 * Each named query's meaning, written as plain TypeScript over the reports (not as SQL): the rows Athena must
 * return. A named query without an entry here fails the test, so a new query comes with its expected rows.
 */
export const EXPECTED_QUERY_ROWS: Readonly<
  Record<string, (reports: readonly IncidentReport[], now: Date) => ExpectedRows>
> = {
  'incidents-last-7-days-by-account-and-type': (reports, now) => {
    const counts = new Map<string, { accountId: string; type: string; count: number }>();
    for (const report of reports) {
      if (new Date(report.timestamp).getTime() <= now.getTime() - 7 * DAY_MS) continue;
      const key = `${report.accountId}|${report.guarddutyFindingType}`;
      const entry = counts.get(key) ?? { accountId: report.accountId, type: report.guarddutyFindingType, count: 0 };
      entry.count += 1;
      counts.set(key, entry);
    }
    return {
      columns: ['accountid', 'guarddutyfindingtype', 'incidents'],
      rows: [...counts.values()].map((entry) => [entry.accountId, entry.type, entry.count]),
      orderedBy: 'incidents',
    };
  },
  'identities-frozen': (reports) => ({
    columns: ['timestamp', 'accountid', 'region', 'instanceid', 'actor_type', 'actor_arn', 'source_ip', 'user_agent'],
    rows: reports
      .filter((report) => report.response.actorFrozen)
      .map((r) => [
        r.timestamp,
        r.accountId,
        r.region,
        r.instanceId,
        r.actor.type,
        r.actor.arn,
        r.actor.sourceIp,
        r.actor.userAgent,
      ]),
    orderedBy: 'timestamp',
  }),
  'incidents-needing-a-person': (reports) => ({
    columns: [
      'timestamp',
      'accountid',
      'region',
      'instanceid',
      'guarddutyfindingtype',
      'disposition',
      'manualinterventionreasons',
    ],
    rows: reports
      .filter((report) => report.response.manualInterventionRequired)
      .map((r) => [
        r.timestamp,
        r.accountId,
        r.region,
        r.instanceId,
        r.guarddutyFindingType,
        r.disposition,
        r.manualInterventionReasons,
      ]),
    orderedBy: 'timestamp',
  }),
  'root-involved': (reports) => ({
    columns: ['timestamp', 'accountid', 'region', 'instanceid', 'source_ip', 'user_agent'],
    rows: reports
      .filter((report) => report.response.rootInvolved)
      .map((r) => [r.timestamp, r.accountId, r.region, r.instanceId, r.actor.sourceIp, r.actor.userAgent]),
    orderedBy: 'timestamp',
  }),
  'failed-steps': (reports) => ({
    columns: [
      'timestamp',
      'accountid',
      'region',
      'instanceid',
      'step',
      'action',
      'target',
      'errorcode',
      'errormessage',
    ],
    rows: reports.flatMap((r) =>
      r.steps.flatMap((step) =>
        step.status === 'failed'
          ? [
              [
                r.timestamp,
                r.accountId,
                r.region,
                r.instanceId,
                step.step,
                step.action ?? null,
                step.target ?? null,
                step.errorCode,
                step.errorMessage,
              ],
            ]
          : [],
      ),
    ),
    orderedBy: 'timestamp',
  }),
};
