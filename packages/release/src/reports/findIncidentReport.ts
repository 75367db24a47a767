import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  findingStateKey,
  INCIDENT_REPORT_PREFIX,
  type IncidentReport,
  isFindingStateId,
  mapWithConcurrency,
} from '@cryptominer-defense/core';
import { NotAnIncidentReportError, ReleaseError } from '../releaseErrors';
import { listIncidentReportObjects } from './listIncidentReportObjects';
import { readIncidentReport } from './readIncidentReport';

export interface FoundReport {
  readonly key: string;
  readonly report: IncidentReport;
}

export interface FindReportOptions {
  /** Called as the scan goes, when looking a finding id up: reports read so far, and how many there are. */
  readonly onProgress?: (read: number, total: number) => void;
}

/** True for what names a report object rather than a finding. */
export function looksLikeReportKey(reference: string): boolean {
  return reference.startsWith(INCIDENT_REPORT_PREFIX) || reference.endsWith('.json');
}

/**
 * The report the responder's per-finding state names (`responder-state/<findingId>/state.json`, written with
 * every report): one read instead of a scan. Anything short of a report under `incidents/` that answers this
 * finding (no state: an older report, or a finding never acted on; unreadable state) means "scan instead", and
 * the scan reports real errors.
 */
export async function reportNamedByFindingState(
  s3: S3Client,
  bucket: string,
  findingId: string,
): Promise<FoundReport | null> {
  if (!isFindingStateId(findingId)) return null;
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: findingStateKey(findingId) }));
    const state: unknown = JSON.parse((await object.Body?.transformToString('utf8')) ?? 'null');
    const key = typeof state === 'object' && state !== null && 'reportKey' in state ? state.reportKey : null;
    if (typeof key !== 'string' || !key.startsWith(INCIDENT_REPORT_PREFIX)) return null;
    const report = await readIncidentReport(s3, bucket, key);
    return report.findingId === findingId ? { key, report } : null;
  } catch {
    return null;
  }
}

/**
 * A report by its key, or by the GuardDuty finding id it answers: through the responder's per-finding state,
 * else by a scan of the bucket (reports are keyed by account, region, day and instance, not by finding). A
 * later delivery of a finding rewrites its report, keeping the undo data from before the incident; should
 * several objects answer one finding, the latest is taken.
 */
export async function findIncidentReport(
  s3: S3Client,
  bucket: string,
  reference: string,
  options: FindReportOptions = {},
): Promise<FoundReport> {
  if (looksLikeReportKey(reference)) return { key: reference, report: await readIncidentReport(s3, bucket, reference) };
  const fromState = await reportNamedByFindingState(s3, bucket, reference);
  if (fromState !== null) return fromState;
  const keys: string[] = [];
  for await (const page of listIncidentReportObjects(s3, bucket)) keys.push(...page.map((object) => object.key));
  let read = 0;
  const reports = await mapWithConcurrency(keys, 8, async (key) => {
    const report = await readIncidentReport(s3, bucket, key).catch((error: unknown) => {
      if (error instanceof NotAnIncidentReportError) return null;
      throw error;
    });
    options.onProgress?.(++read, keys.length);
    return report === null ? null : { key, report };
  });
  const matches = reports
    .flatMap((found) => (found !== null && found.report.findingId === reference ? [found] : []))
    .sort((left, right) => right.report.timestamp.localeCompare(left.report.timestamp));
  const [latest] = matches;
  if (latest === undefined) {
    throw new ReleaseError(
      `No report in s3://${bucket} answers finding ${reference} (${keys.length} reports read): check the id, or pass the report's key (see "cli reports list").`,
    );
  }
  return latest;
}
