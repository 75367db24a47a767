import { ListObjectsV2Command, type ListObjectsV2CommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { INCIDENT_REPORT_PREFIX } from '@cryptominer-defense/core';
import { bucketError } from './bucketError';

export interface StoredReportObject {
  readonly key: string;
  readonly lastModified: Date | null;
  readonly size: number;
}

/**
 * The report objects under a prefix, one S3 page (up to 1,000 keys) at a time, so that a caller can show
 * progress on a large bucket. Only `.json` objects under `incidents/` are reports.
 */
export async function* listIncidentReportObjects(
  s3: S3Client,
  bucket: string,
  prefix: string = INCIDENT_REPORT_PREFIX,
): AsyncGenerator<StoredReportObject[]> {
  let continuationToken: string | undefined;
  do {
    let page: ListObjectsV2CommandOutput;
    try {
      page = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: continuationToken }),
      );
    } catch (error) {
      throw bucketError(bucket, error);
    }
    yield (page.Contents ?? []).flatMap((object) =>
      object.Key?.endsWith('.json') === true
        ? [{ key: object.Key, lastModified: object.LastModified ?? null, size: object.Size ?? 0 }]
        : [],
    );
    continuationToken = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (continuationToken !== undefined);
}
