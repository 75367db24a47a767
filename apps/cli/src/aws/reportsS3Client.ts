import { S3Client } from '@aws-sdk/client-s3';
import type { CommandIO } from '../command';
import { centralRegionOf, usesCustomS3Endpoint } from './operatorSettings';

/** The S3 client of the central report bucket, in the central region. */
export function reportsS3Client(io: CommandIO): S3Client {
  return new S3Client({ region: centralRegionOf(io.env), forcePathStyle: usesCustomS3Endpoint(io.env) });
}
