import { CentralAppError } from '../errors';
import { INCIDENT_COLUMNS } from './incidentColumns';
import { parseHiveType } from './parseHiveType';

/**
 * The fields of one step record, in column order. Trino (Athena engine v3) unnests an array of rows into one
 * column per field, so `UNNEST(steps) AS s(…)` must name every field, in order: they come from the column itself.
 */
function stepFieldNames(): string[] {
  const steps = INCIDENT_COLUMNS.find((column) => column.name === 'steps');
  const type = steps === undefined ? undefined : parseHiveType(steps.type);
  if (type?.kind !== 'array' || type.items.kind !== 'struct') {
    throw new CentralAppError(
      'The steps column of INCIDENT_COLUMNS is not an array of structs: the report schema changed.',
    );
  }
  return type.items.fields.map((field) => field.name);
}

/**
 * The latest report of each finding. Reports are written once (If-None-Match): a later delivery of a finding writes
 * its report beside the first (`<first key>.delivery-<n>.json`) instead of over it, and lists every delivery so far,
 * so the one with the most deliveries is the finding's latest state. Every named query reads through it, so that a
 * finding delivered three times is one incident, not three.
 */
const LATEST_REPORT_PER_FINDING = `WITH latest AS (
  SELECT * FROM (
    SELECT *, row_number() OVER (PARTITION BY findingid ORDER BY cardinality(deliveries) DESC) AS report_rank
    FROM incidents
  ) WHERE report_rank = 1
)`;

/** The questions a security team asks first, as Athena named queries over the `incidents` table. */
export const NAMED_QUERIES: readonly { name: string; description: string; sql: string }[] = [
  {
    name: 'incidents-last-7-days-by-account-and-type',
    description: 'Incidents of the last 7 days, counted by account and finding type',
    sql: `${LATEST_REPORT_PER_FINDING}
SELECT accountid, guarddutyfindingtype, count(*) AS incidents
FROM latest
WHERE from_iso8601_timestamp("timestamp") > current_timestamp - INTERVAL '7' DAY
GROUP BY accountid, guarddutyfindingtype
ORDER BY incidents DESC`,
  },
  {
    name: 'identities-frozen',
    description: 'Every identity the responder froze, with where it acted from',
    sql: `${LATEST_REPORT_PER_FINDING}
SELECT "timestamp", accountid, region, instanceid, actor.type AS actor_type, actor.arn AS actor_arn,
  actor.sourceip AS source_ip, actor.useragent AS user_agent
FROM latest
WHERE response.actorfrozen = true
ORDER BY "timestamp" DESC`,
  },
  {
    name: 'incidents-needing-a-person',
    description: 'Incidents the responder could not finish alone, with the reasons',
    sql: `${LATEST_REPORT_PER_FINDING}
SELECT "timestamp", accountid, region, instanceid, guarddutyfindingtype, disposition, manualinterventionreasons
FROM latest
WHERE response.manualinterventionrequired = true
ORDER BY "timestamp" DESC`,
  },
  {
    name: 'root-involved',
    description: 'Incidents where the root user launched the instance (IAM cannot restrict root: act now)',
    sql: `${LATEST_REPORT_PER_FINDING}
SELECT "timestamp", accountid, region, instanceid, actor.sourceip AS source_ip, actor.useragent AS user_agent
FROM latest
WHERE response.rootinvolved = true
ORDER BY "timestamp" DESC`,
  },
  {
    name: 'failed-steps',
    description: 'Every response step that failed, with its AWS error code',
    sql: `${LATEST_REPORT_PER_FINDING}
SELECT i."timestamp", i.accountid, i.region, i.instanceid, s.step, s.action, s.target, s.errorcode, s.errormessage
FROM latest i
CROSS JOIN UNNEST(i.steps) AS s(${stepFieldNames().join(', ')})
WHERE s.status = 'failed'
ORDER BY i."timestamp" DESC`,
  },
];
