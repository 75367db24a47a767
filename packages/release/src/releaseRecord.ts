import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  awsErrorDetails,
  INCIDENT_REPORT_PREFIX,
  RELEASE_RECORD_PREFIX,
  releaseRecordKey,
} from '@cryptominer-defense/core';
import type { ReleaseStepRecord } from './applyRelease';
import type { FalsePositiveStepRecord } from './falsePositive';
import { ReleaseError } from './releaseErrors';
import { listIncidentReportObjects } from './reports/listIncidentReportObjects';

/**
 * What one release did, kept in the central bucket next to the incident it undid (the report is never changed), at
 * core's releaseRecordKey: `releases/<the report's key without incidents/ and .json>/<ms>-<random>.json`.
 */
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
  /** With --false-positive: Security Hub's workflow RESOLVED, GuardDuty's feedback and archive. */
  readonly falsePositive?: readonly FalsePositiveStepRecord[];
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

/** The report keys of every incident released so far (one listing of releases/, not a read per incident). */
export async function releasedReportKeys(s3: S3Client, bucket: string): Promise<ReadonlySet<string>> {
  const released = new Set<string>();
  for await (const page of listIncidentReportObjects(s3, bucket, RELEASE_RECORD_PREFIX)) {
    for (const { key } of page) {
      const stem = key.slice(RELEASE_RECORD_PREFIX.length, key.lastIndexOf('/'));
      released.add(`${INCIDENT_REPORT_PREFIX}${stem}.json`);
    }
  }
  return released;
}
