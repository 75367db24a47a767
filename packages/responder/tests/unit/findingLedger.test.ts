import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createFindingLedger } from '../../src/findingLedger';
import { awsError } from '../support/awsError';
import { objectBody as body } from '../support/objectBody';

const s3 = mockClient(S3Client);
const client = new S3Client({ region: 'us-east-1' });
const now = new Date('2026-11-26T12:00:00.000Z');
const ledger = createFindingLedger(client, { bucket: 'reports', kmsKeyId: null, now: () => now });

function claimOf(attempt: number): string {
  return `responder-state/f-1/claim-${String(attempt).padStart(6, '0')}.json`;
}

beforeEach(() => {
  s3.reset();
  s3.on(GetObjectCommand).rejects(awsError('NoSuchKey'));
  s3.on(PutObjectCommand).resolves({});
});

describe('the finding ledger', () => {
  it('claims the first attempt with If-None-Match: *', async () => {
    // Act
    const claim = await ledger.claim('f-1', 'event-1');

    // Assess
    expect(claim).toEqual({ kind: 'first', attempt: 1 });
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      Bucket: 'reports',
      Key: claimOf(1),
      IfNoneMatch: '*',
    });
  });

  it.each([
    ['another delivery', 'event-other'],
    // SQS and EventBridge deliver at least once: an identical event can arrive twice at the same moment.
    ['a duplicate of the same event', 'event-1'],
  ])('answers busy when %s holds a fresh claim (412), and writes nothing else', async (_case, holderEventId) => {
    // Prepare
    s3.on(PutObjectCommand, { Key: claimOf(1) }).rejects(awsError('PreconditionFailed'));
    s3.on(GetObjectCommand, { Key: claimOf(1) }).resolves(
      body({ eventId: holderEventId, claimedAt: '2026-11-26T11:59:30.000Z' }),
    );

    // Act
    const claim = await ledger.claim('f-1', 'event-1');

    // Assess
    expect(claim).toMatchObject({
      kind: 'busy',
      reason: expect.stringContaining('another delivery (claim 1, since 2026-11-26T11:59:30.000Z)'),
    });
    expect(claim).toMatchObject({ reason: expect.stringContaining('expires at 2026-11-26T12:14:30.000Z') });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(1);
  });

  it.each([
    [
      'a claim older than the lease with no state (its delivery died)',
      { eventId: 'event-0', claimedAt: '2026-11-26T11:00:00.000Z' },
    ],
    [
      'the same event whose earlier try died longer than the lease ago (the platform retried it)',
      { eventId: 'event-1', claimedAt: '2026-11-26T11:40:00.000Z' },
    ],
  ])('steps over %s and claims the next attempt', async (_case, holder) => {
    // Prepare
    s3.on(PutObjectCommand, { Key: claimOf(1) }).rejects(awsError('PreconditionFailed'));
    s3.on(GetObjectCommand, { Key: claimOf(1) }).resolves(body(holder));

    // Act
    const claim = await ledger.claim('f-1', 'event-1');

    // Assess
    expect(claim).toEqual({ kind: 'first', attempt: 2 });
    expect(s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key)).toEqual([claimOf(1), claimOf(2)]);
  });

  it('throws what S3 says when it is neither a precondition nor a missing key (the caller acts without the lock)', async () => {
    // Prepare
    s3.on(GetObjectCommand).rejects(awsError('AccessDenied'));

    // Act / Assess
    await expect(ledger.claim('f-1', 'event-1')).rejects.toThrow(expect.objectContaining({ name: 'AccessDenied' }));
  });
});
