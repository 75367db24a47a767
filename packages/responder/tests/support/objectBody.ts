import { Readable } from 'node:stream';
import type { GetObjectCommandOutput } from '@aws-sdk/client-s3';

/** An object body as the SDK hands it out: a stream with the SDK's transform helpers (only the text one is read). */
export function objectBody(value: unknown): Partial<GetObjectCommandOutput> {
  const text = JSON.stringify(value);
  const stream = Object.assign(Readable.from([Buffer.from(text)]), {
    transformToString: async () => text,
    transformToByteArray: async () => new TextEncoder().encode(text),
    transformToWebStream: () => new Blob([text]).stream(),
  });
  return { Body: stream };
}
