import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import {
  awsErrorDetails,
  MalformedPauseSwitchError,
  PAUSE_SWITCH_KEY,
  type PauseSwitch,
  type PauseSwitchReading,
} from '@cryptominer-defense/core';
import { readPauseSwitch } from '@cryptominer-defense/responder';
import { UsageError } from '../command';
import { callerIdentity } from './callerIdentity';
import { centralRegionOf, usesCustomS3Endpoint } from './operatorSettings';

type Env = Readonly<Record<string, string | undefined>>;

/** What `cli pause --status` finds: the switch (null: never flipped), or why it is not one (the responder observes). */
export type PauseSwitchStatus =
  | { readonly readable: true; readonly reading: PauseSwitchReading }
  | { readonly readable: false; readonly problem: string };

const where = (bucket: string) => `s3://${bucket}/${PAUSE_SWITCH_KEY}`;

/** A refused or failed call on the switch, as one line that names the missing permission or the setting to fix. */
function switchError(bucket: string, operation: 'read' | 'write', error: unknown): Error {
  const { errorCode, errorMessage } = awsErrorDetails(error);
  if (errorCode === 'NoSuchBucket') {
    return new UsageError(
      `The bucket ${bucket} does not exist: set REPORT_BUCKET (or --bucket) to the central report bucket.`,
      { cause: error },
    );
  }
  if (errorCode === 'AccessDenied') {
    const needed =
      operation === 'write'
        ? `s3:PutObject on arn:aws:s3:::${bucket}/${PAUSE_SWITCH_KEY} (the bucket policy lets only the release operator role, ReleaseOperatorRoleName, write it) and kms:GenerateDataKey on the incident key`
        : `s3:GetObject on arn:aws:s3:::${bucket}/${PAUSE_SWITCH_KEY} and kms:Decrypt on the incident key`;
    return new UsageError(`AccessDenied on ${where(bucket)}: your credentials need ${needed}.`, { cause: error });
  }
  return new Error(`Could not ${operation} ${where(bucket)}: ${errorCode}: ${errorMessage}`, { cause: error });
}

function s3For(env: Env): S3Client {
  return new S3Client({ region: centralRegionOf(env), forcePathStyle: usesCustomS3Endpoint(env) });
}

/** Reads the switch as the responder does (the same reader): a malformed object is a status, not a failure. */
export async function pauseSwitchStatus(bucket: string, env: Env): Promise<PauseSwitchStatus> {
  const s3 = s3For(env);
  try {
    return { readable: true, reading: await readPauseSwitch(s3, bucket) };
  } catch (error) {
    if (error instanceof MalformedPauseSwitchError) return { readable: false, problem: error.message };
    throw switchError(bucket, 'read', error);
  } finally {
    s3.destroy();
  }
}

/**
 * Flips the switch: one PutObject over the last one (the bucket is versioned, so every flip stays on record; with
 * Object Lock each version is locked like a report). `by` is the caller STS names.
 */
export async function writePauseSwitch(
  bucket: string,
  env: Env,
  change: { readonly paused: boolean; readonly reason: string; readonly at: Date },
): Promise<PauseSwitch> {
  const sts = new STSClient({ region: centralRegionOf(env) });
  const s3 = s3For(env);
  try {
    const { arn } = await callerIdentity(sts);
    const state: PauseSwitch = { paused: change.paused, reason: change.reason, by: arn, at: change.at.toISOString() };
    await s3
      .send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: PAUSE_SWITCH_KEY,
          Body: `${JSON.stringify(state)}\n`,
          ContentType: 'application/json',
        }),
      )
      .catch((error: unknown) => {
        throw switchError(bucket, 'write', error);
      });
    return state;
  } finally {
    sts.destroy();
    s3.destroy();
  }
}
