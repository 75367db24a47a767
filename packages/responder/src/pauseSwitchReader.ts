import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  isAwsError,
  PAUSE_SWITCH_KEY,
  type PauseSwitchReading,
  parsePauseSwitch,
} from '@cryptominer-defense/core/cold-start';

/**
 * Reads the pause switch (docs/decisions/0018): no object is "not paused"; a malformed one throws
 * MalformedPauseSwitchError and any other failure the S3 error, so the caller can fail safe (observe).
 */
export async function readPauseSwitch(s3: S3Client, bucket: string): Promise<PauseSwitchReading> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: PAUSE_SWITCH_KEY }));
    return { pauseSwitch: parsePauseSwitch((await object.Body?.transformToString('utf8')) ?? '') };
  } catch (error) {
    if (isAwsError(error, 'NoSuchKey')) return { pauseSwitch: null };
    throw error;
  }
}

/**
 * The switch as one container sees it: a reading is trusted for `cacheSeconds` from when it was asked for, so a
 * burst of findings costs one GET (responses at the same moment share the read on the wire); a failed read is
 * forgotten at once, so the next response asks again. 0 reads the switch for every response.
 */
export function cachedPauseSwitch(
  read: () => Promise<PauseSwitchReading>,
  cacheSeconds: number,
  now: () => Date,
): () => Promise<PauseSwitchReading> {
  let cached: { readonly askedAt: number; readonly reading: Promise<PauseSwitchReading> } | null = null;
  return () => {
    const askedAt = now().getTime();
    if (cached !== null && askedAt - cached.askedAt < cacheSeconds * 1000) return cached.reading;
    const entry = { askedAt, reading: read() };
    cached = entry;
    entry.reading.catch(() => {
      if (cached === entry) cached = null;
    });
    return entry.reading;
  };
}
