import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { findingClaimKey, findingStateKey } from '@cryptominer-defense/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createFindingLedger } from '../../src/findingLedger';
import { awsError } from '../support/awsError';

const s3 = mockClient(S3Client);

afterEach(() => {
  s3.reset();
});

describe('the finding ledger, on the first delivery of a finding (pnpm bench: every response starts here)', () => {
  it('asks for claim 1 while it reads the state: the state read answers only once the claim was asked for', async () => {
    // Prepare: no state yet; done one after the other, the state read would wait forever.
    let claimAsked: () => void = () => undefined;
    const claimRequested = new Promise<void>((resolve) => {
      claimAsked = resolve;
    });
    s3.on(PutObjectCommand).callsFake(() => {
      claimAsked();
      return {};
    });
    s3.on(GetObjectCommand).callsFake(async () => {
      await claimRequested;
      throw awsError('NoSuchKey');
    });
    const ledger = createFindingLedger(new S3Client({ region: 'us-east-1' }), { bucket: 'reports', kmsKeyId: null });

    // Act
    const claim = await ledger.claim('f-1', 'event-1');

    // Assess: claim 1, conditional, asked once; the state was read.
    expect(claim).toEqual({ kind: 'first', attempt: 1 });
    expect(s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input)).toEqual([
      expect.objectContaining({ Key: findingClaimKey('f-1', 1), IfNoneMatch: '*' }),
    ]);
    expect(s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input.Key)).toEqual([findingStateKey('f-1')]);
  });
});
