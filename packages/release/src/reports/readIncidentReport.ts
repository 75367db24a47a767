import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type IncidentReport, incidentReportSchema, isAwsError } from '@cryptominer-defense/core';
import { NotAnIncidentReportError, ReleaseError } from '../releaseErrors';
import { bucketError } from './bucketError';

/** Reads and validates one report. Throws ReleaseError naming the key and what to do. */
export async function readIncidentReport(s3: S3Client, bucket: string, key: string): Promise<IncidentReport> {
  let text: string;
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    text = (await response.Body?.transformToString('utf8')) ?? '';
  } catch (error) {
    if (isAwsError(error, 'NoSuchKey', 'NotFound')) {
      throw new ReleaseError(`No report at s3://${bucket}/${key}: find its key with "cli reports list".`, {
        cause: error,
      });
    }
    throw bucketError(bucket, error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new NotAnIncidentReportError(`s3://${bucket}/${key} is not JSON: it is not an incident report.`, {
      cause: error,
    });
  }
  const parsed = incidentReportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : ` (${issue.path.join('.') || 'report'}: ${issue.message})`;
    throw new NotAnIncidentReportError(
      `s3://${bucket}/${key} is not an incident report this version understands${where}.`,
      { cause: parsed.error },
    );
  }
  return parsed.data;
}
