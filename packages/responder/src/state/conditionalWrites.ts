import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isAwsError } from '@cryptominer-defense/core/cold-start';

/** A bucket the responder keeps its state in: the report bucket, with the report key. */
export interface StateBucket {
  readonly bucket: string;
  readonly kmsKeyId: string | null;
}

/**
 * Creates a JSON object only if the key is free: a PutObject with `If-None-Match: *`, as the idempotency lock, the
 * cap's slots and the instances' claims take theirs. Of two writes of one key exactly one succeeds (true); the other
 * gets 412 PreconditionFailed, or 409 ConditionalRequestConflict while the first is in flight (S3 says: retry; we
 * yield), and false. Any other error is thrown: the caller decides whether to fail safe or go on.
 */
export async function putJsonIfAbsent(s3: S3Client, where: StateBucket, key: string, body: unknown): Promise<boolean> {
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: where.bucket,
        Key: key,
        Body: JSON.stringify(body),
        ContentType: 'application/json',
        IfNoneMatch: '*',
        ...(where.kmsKeyId === null ? {} : { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: where.kmsKeyId }),
      }),
    );
    return true;
  } catch (error) {
    if (isAwsError(error, 'PreconditionFailed', 'ConditionalRequestConflict')) return false;
    throw error;
  }
}

/** A JSON object of the bucket, parsed; undefined when there is none. */
export async function readJsonObject(s3: S3Client, bucket: string, key: string): Promise<unknown> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse((await object.Body?.transformToString()) ?? 'null');
  } catch (error) {
    if (isAwsError(error, 'NoSuchKey', 'NotFound')) return undefined;
    throw error;
  }
}
