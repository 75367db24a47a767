import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import { runInstancesRecord } from '../../src/cloudtrail/records/runInstancesRecord';
import { iamUserIdentity } from '../../src/cloudtrail/records/userIdentities';
import { type CloudTrailFake, startCloudTrailFake } from '../../src/cloudtrail/startCloudTrailFake';
import { EMULATOR_DEFAULT_ACCOUNT_ID, emulatorClientConfig } from '../../src/emulator/emulatorClientConfig';
import { applyEnvironment, emulatorEnvironment } from '../../src/emulator/emulatorEnvironment';
import { emulatorEndpoint } from '../../src/vitest/emulatorEndpoint';

describe('emulatorEnvironment', () => {
  let restore: (() => void) | undefined;
  let fake: CloudTrailFake | undefined;
  afterEach(async () => {
    restore?.();
    await fake?.stop();
  });

  it('lets clients built with no configuration at all reach moto, and CloudTrail reach the fake', async () => {
    // Prepare
    const endpoint = emulatorEndpoint();
    fake = await startCloudTrailFake({ emulatorEndpoint: endpoint });
    fake.addRecords(
      runInstancesRecord({
        identity: iamUserIdentity({ accountId: EMULATOR_DEFAULT_ACCOUNT_ID, userName: 'developer' }),
        region: 'eu-central-1',
        instanceIds: ['i-0feedfeedfeedfeed'],
      }),
    );
    restore = applyEnvironment(
      emulatorEnvironment({ endpoint, cloudTrailEndpoint: fake.endpoint, region: 'eu-central-1' }),
    );

    // Act
    const identity = await new STSClient({}).send(new GetCallerIdentityCommand({}));
    const events = await new CloudTrailClient({}).send(new LookupEventsCommand({}));
    // Path-style is the caller's job (the engine sets it with a custom endpoint); the environment cannot.
    const s3 = new S3Client({ forcePathStyle: true });
    await s3.send(
      new CreateBucketCommand({
        Bucket: 'env-bucket',
        CreateBucketConfiguration: { LocationConstraint: 'eu-central-1' },
      }),
    );
    const put = await s3.send(new PutObjectCommand({ Bucket: 'env-bucket', Key: 'a.json', Body: '{}' }));

    // Assess
    expect(identity.Account).toBe(EMULATOR_DEFAULT_ACCOUNT_ID);
    expect(events.Events?.map((event) => event.Resources?.[0]?.ResourceName)).toEqual(['i-0feedfeedfeedfeed']);
    expect(fake.calls).toEqual([expect.objectContaining({ region: 'eu-central-1', outcome: 'ok' })]);
    expect(put.ETag).toBeDefined();
  });

  it('puts back the variables it replaced', () => {
    // Prepare
    const before = process.env.AWS_ENDPOINT_URL;

    // Act
    const undo = applyEnvironment(emulatorEnvironment({ endpoint: 'http://127.0.0.1:1' }));
    const during = process.env.AWS_ENDPOINT_URL;
    undo();

    // Assess
    expect(during).toBe('http://127.0.0.1:1');
    expect(process.env.AWS_ENDPOINT_URL).toBe(before);
  });

  it('names the endpoint, fake credentials and region in client config', () => {
    // Act
    const config = emulatorClientConfig('http://127.0.0.1:5000', { region: 'ap-southeast-2' });

    // Assess
    expect(config).toMatchObject({ endpoint: 'http://127.0.0.1:5000', region: 'ap-southeast-2', forcePathStyle: true });
    expect(config.credentials.accessKeyId).toMatch(/^AKIA/);
  });
});
