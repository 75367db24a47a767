/** Where the responder writes reports; Athena's tables read this prefix only. */
export const INCIDENT_REPORT_PREFIX = 'incidents/';

const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

/**
 * Where a report is written in the central bucket:
 * `incidents/<accountId>/<region>/<yyyy>/<mm>/<dd>/<instanceId>-<epochSeconds>-<findingId>.json` (UTC date of the
 * report). The finding id is in the name because one instance can be answered by several findings in one second (its
 * own finding, and a linked incident of another finding that lost the instance's claim; docs/decisions/0023): their
 * reports must not share a key, or the second write is refused (If-None-Match) and its delivery fails. A derived
 * finding's id (`<findingId>/linked/<i-…>`, `<findingId>/instance/<i-…>`) is written with `.` for `/`, so the report
 * stays in its day's folder: Athena's partitions are the folders. A finding without an instance (an EKS runtime
 * finding), or whose instance id is not a well-formed one (the event is untrusted input: `../`, `*` or 5,000
 * characters must not choose the key), is named `finding-<findingId>-<epochSeconds>.json` (the finding id is already
 * checked by the event schema). The prefix order lets Athena partition by account, region and day.
 */
export function incidentReportKey(report: {
  readonly accountId: string;
  readonly region: string;
  readonly instanceId: string | null;
  readonly findingId: string;
  readonly timestamp: string;
}): string {
  const time = new Date(report.timestamp);
  const yyyy = String(time.getUTCFullYear()).padStart(4, '0');
  const mm = String(time.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(time.getUTCDate()).padStart(2, '0');
  const epochSeconds = Math.floor(time.getTime() / 1000);
  const name =
    report.instanceId !== null && INSTANCE_ID.test(report.instanceId)
      ? `${report.instanceId}-${epochSeconds}-${report.findingId.replaceAll('/', '.')}`
      : `finding-${report.findingId}-${epochSeconds}`;
  return `${INCIDENT_REPORT_PREFIX}${report.accountId}/${report.region}/${yyyy}/${mm}/${dd}/${name}.json`;
}

const DELIVERY_SUFFIX = /(\.delivery-\d+)?\.json$/;

/**
 * Where the report of a later delivery of a finding goes: beside the incident's first report, never over it
 * (reports are written once, with If-None-Match): `<first key without .json>.delivery-<attempt>.json`. Under
 * `incidents/` like the first, so the per-finding state can name it and `cli reports show <findingId>` finds
 * the latest; `firstKey` may itself be a delivery's key (its suffix is replaced).
 */
export function incidentDeliveryReportKey(firstKey: string, attempt: number): string {
  return `${firstKey.replace(DELIVERY_SUFFIX, '')}.delivery-${attempt}.json`;
}
