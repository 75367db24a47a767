import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type IncidentReport, incidentReportKey } from '@cryptominer-defense/core/cold-start';
import { ReportWriteError } from './errors';

export interface ReportDestination {
  readonly bucket: string;
  /** SSE-KMS under this key when set; otherwise the bucket's default encryption applies. */
  readonly kmsKeyId: string | null;
}

/** PutObject of one JSON line, never over an existing object (If-None-Match), encrypted as the destination says. */
export function putJsonOnce(s3: S3Client, destination: ReportDestination, key: string, value: unknown) {
  return s3.send(
    new PutObjectCommand({
      Bucket: destination.bucket,
      Key: key,
      // One JSON document per line: Athena's JSON SerDe reads each line as a record, so an indented report
      // would be unreadable to the security team's queries.
      Body: `${JSON.stringify(value)}\n`,
      ContentType: 'application/json',
      IfNoneMatch: '*',
      ...(destination.kmsKeyId === null
        ? {}
        : { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: destination.kmsKeyId }),
    }),
  );
}

/**
 * Writes the report as JSON to the central bucket, once: `If-None-Match: *` makes S3 refuse to overwrite an object
 * (412), so a report, once written, is evidence no later write replaces; a later delivery of the same finding
 * writes its own key (oncePerFinding.ts). Returns the key. Throws ReportWriteError.
 */
export async function writeIncidentReport(
  s3: S3Client,
  destination: ReportDestination,
  report: IncidentReport,
  key: string = incidentReportKey(report),
): Promise<string> {
  try {
    await putJsonOnce(s3, destination, key, report);
  } catch (error) {
    throw new ReportWriteError(destination.bucket, key, report, { cause: error });
  }
  return key;
}
