import { awsErrorDetails } from '@cryptominer-defense/core';
import { ReleaseError } from '../releaseErrors';

/** A failed read of the report bucket, as a ReleaseError that says what to do. */
export function bucketError(bucket: string, error: unknown): ReleaseError {
  const { errorCode, errorMessage } = awsErrorDetails(error);
  if (errorCode === 'NoSuchBucket') {
    return new ReleaseError(
      `The bucket ${bucket} does not exist: set REPORT_BUCKET (or --bucket) to the central report bucket.`,
      { cause: error },
    );
  }
  return new ReleaseError(`Could not read s3://${bucket}: ${errorCode}: ${errorMessage}`, { cause: error });
}
