import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { awsErrorDetails } from '../awsErrorDetails';
import type { ReleaseStepRecord } from './applyRelease';
import { INCIDENT_REPORT_PREFIX } from './incidentReportStore';
import { ReleaseError } from './releaseErrors';

/** Release records live beside the reports, not among them: Athena's report tables read `incidents/` only. */
export const RELEASE_RECORD_PREFIX = 'releases/';

/** What one release did, kept in the central bucket next to the incident it undid (the report is never changed). */
export interface ReleaseRecord {
  readonly kind: 'release';
  readonly releasedAt: string;
  /** Who ran it (STS GetCallerIdentity of the operator's credentials). */
  readonly operatorArn: string;
  readonly reportKey: string;
  readonly findingId: string;
  readonly accountId: string;
  readonly region: string;
  readonly instanceId: string | null;
  readonly steps: readonly ReleaseStepRecord[];
  readonly leftForPerson: readonly string[];
}

/**
 * `releases/<the report's key without incidents/ and .json>/<epoch milliseconds>-<4 random hex>.json`: every
 * release of an incident is its own object, found by the report's key (two releases in one millisecond still
 * get two objects).
 */
export function releaseRecordKey(reportKey: string, releasedAt: Date): string {
  const stem = (
    reportKey.startsWith(INCIDENT_REPORT_PREFIX) ? reportKey.slice(INCIDENT_REPORT_PREFIX.length) : reportKey
  ).replace(/\.json$/, '');
  const suffix = [...crypto.getRandomValues(new Uint8Array(2))].map((byte) => byte.toString(16).padStart(2, '0'));
  return `${RELEASE_RECORD_PREFIX}${stem}/${releasedAt.getTime()}-${suffix.join('')}.json`;
}

/** Writes the record; never overwrites an object (conditional write). Returns its key. */
export async function writeReleaseRecord(s3: S3Client, bucket: string, record: ReleaseRecord): Promise<string> {
  const key = releaseRecordKey(record.reportKey, new Date(record.releasedAt));
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: `${JSON.stringify(record, null, 2)}\n`,
        ContentType: 'application/json',
        IfNoneMatch: '*',
      }),
    );
  } catch (error) {
    const { errorCode, errorMessage } = awsErrorDetails(error);
    throw new ReleaseError(
      `The release happened, but its record could not be written to s3://${bucket}/${key}: ${errorCode}: ${errorMessage}. Keep the output of this command with the incident.`,
      { cause: error },
    );
  }
  return key;
}
