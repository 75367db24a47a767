import {
  CloudTrailClient,
  DescribeTrailsCommand,
  LookupEventsCommand,
  type LookupEventsCommandInput,
  paginateLookupEvents,
} from '@aws-sdk/client-cloudtrail';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runInstancesRecord } from '../../src/cloudtrail/records/runInstancesRecord';
import { iamUserIdentity } from '../../src/cloudtrail/records/userIdentities';
import { type CloudTrailFake, startCloudTrailFake } from '../../src/cloudtrail/startCloudTrailFake';
import { credentialsForAccount } from '../../src/emulator/credentialsForAccount';
import { type EmulatorCredentials, emulatorClientConfig } from '../../src/emulator/emulatorClientConfig';
import { emulatorEndpoint } from '../../src/vitest/emulatorEndpoint';

const ACCOUNT_A = '111111111111';
const ACCOUNT_B = '222222222222';

function hoursAgo(hours: number): Date {
  return new Date(Math.floor(Date.now() / 1000) * 1000 - hours * 3_600_000);
}

describe('startCloudTrailFake', () => {
  let fake: CloudTrailFake;
  let credentialsA: EmulatorCredentials;
  let credentialsB: EmulatorCredentials;
  const clientFor = (credentials: EmulatorCredentials, region = 'us-east-1', maxAttempts = 1) =>
    new CloudTrailClient({ ...emulatorClientConfig(fake.endpoint, { region, credentials }), maxAttempts });
  const errorOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'no error',
      (error: Error) => error.name,
    );

  beforeAll(async () => {
    const endpoint = emulatorEndpoint();
    fake = await startCloudTrailFake({ emulatorEndpoint: endpoint });
    [credentialsA, credentialsB] = await Promise.all([
      credentialsForAccount(endpoint, ACCOUNT_A),
      credentialsForAccount(endpoint, ACCOUNT_B),
    ]);
  });
  afterAll(async () => {
    await fake.stop();
  });
  beforeEach(() => {
    fake.clearRecords();
    fake.clearCalls();
    fake.setThrottling(undefined);
  });

  it("answers a ResourceName lookup with the record, only in the caller's account and region", async () => {
    // Prepare
    const eventTime = hoursAgo(2);
    const record = runInstancesRecord({
      identity: iamUserIdentity({ accountId: ACCOUNT_A, userName: 'developer' }),
      region: 'us-east-1',
      instanceIds: ['i-0aaaaaaaaaaaaaaaa'],
      eventTime,
    });
    fake.addRecords(record);
    const lookup: LookupEventsCommandInput = {
      LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'i-0aaaaaaaaaaaaaaaa' }],
    };

    // Act
    const [inAccountA, inAccountB, inOtherRegion] = await Promise.all([
      clientFor(credentialsA).send(new LookupEventsCommand(lookup)),
      clientFor(credentialsB).send(new LookupEventsCommand(lookup)),
      clientFor(credentialsA, 'eu-west-1').send(new LookupEventsCommand(lookup)),
    ]);

    // Assess
    expect(inAccountA.Events).toHaveLength(1);
    const event = inAccountA.Events?.[0];
    expect(event).toMatchObject({
      EventId: record.eventID,
      EventName: 'RunInstances',
      EventSource: 'ec2.amazonaws.com',
      Username: 'developer',
      ReadOnly: 'false',
      EventTime: eventTime,
    });
    expect(event?.Resources).toContainEqual({
      ResourceType: 'AWS::EC2::Instance',
      ResourceName: 'i-0aaaaaaaaaaaaaaaa',
    });
    expect(JSON.parse(event?.CloudTrailEvent ?? '{}')).toEqual(record);
    expect(inAccountB.Events).toEqual([]);
    expect(inOtherRegion.Events).toEqual([]);
    expect(fake.calls.map((call) => [call.accountId, call.region])).toEqual(
      expect.arrayContaining([
        [ACCOUNT_A, 'us-east-1'],
        [ACCOUNT_B, 'us-east-1'],
        [ACCOUNT_A, 'eu-west-1'],
      ]),
    );
  });

  it('pages 50 at most, newest first, and refuses a token from another query', async () => {
    // Prepare
    const identity = iamUserIdentity({ accountId: ACCOUNT_A, userName: 'developer' });
    const records = Array.from({ length: 120 }, (_, index) =>
      runInstancesRecord({
        identity,
        region: 'us-east-1',
        instanceIds: [`i-${index}`],
        eventTime: hoursAgo(index + 1),
      }),
    );
    fake.addRecords(...records);
    const client = clientFor(credentialsA);

    // Act
    const pages = [];
    for await (const page of paginateLookupEvents({ client }, { MaxResults: 50 })) pages.push(page);
    const first = await client.send(new LookupEventsCommand({ MaxResults: 50 }));
    const misuse = await errorOf(
      client.send(
        new LookupEventsCommand({
          MaxResults: 50,
          NextToken: first.NextToken,
          LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'RunInstances' }],
        }),
      ),
    );

    // Assess
    expect(pages.map((page) => page.Events?.length)).toEqual([50, 50, 20]);
    const ids = pages.flatMap((page) => page.Events ?? []).map((event) => event.EventId);
    expect(ids).toEqual(records.map((record) => record.eventID));
    expect(misuse).toBe('InvalidNextTokenException');
  });

  it('filters by StartTime/EndTime and by EventName', async () => {
    // Prepare
    const identity = iamUserIdentity({ accountId: ACCOUNT_A, userName: 'developer' });
    const old = runInstancesRecord({ identity, region: 'us-east-1', instanceIds: ['i-old'], eventTime: hoursAgo(48) });
    const recent = runInstancesRecord({
      identity,
      region: 'us-east-1',
      instanceIds: ['i-new'],
      eventTime: hoursAgo(1),
    });
    fake.addRecords(old, recent);
    const client = clientFor(credentialsA);

    // Act
    const [sinceYesterday, untilYesterday, byName, byOtherName] = await Promise.all([
      client.send(new LookupEventsCommand({ StartTime: hoursAgo(24) })),
      client.send(new LookupEventsCommand({ EndTime: hoursAgo(24) })),
      client.send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'RunInstances' }] }),
      ),
      client.send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'StopInstances' }] }),
      ),
    ]);

    // Assess
    expect(sinceYesterday.Events?.map((e) => e.EventId)).toEqual([recent.eventID]);
    expect(untilYesterday.Events?.map((e) => e.EventId)).toEqual([old.eventID]);
    expect(byName.Events?.map((e) => e.EventId)).toEqual([recent.eventID, old.eventID]);
    expect(byOtherName.Events).toEqual([]);
  });

  it("rejects what CloudTrail rejects, with CloudTrail's error codes", async () => {
    // Prepare
    const client = clientFor(credentialsA);

    // Act
    const errors = await Promise.all([
      errorOf(client.send(new LookupEventsCommand({ MaxResults: 51 }))),
      errorOf(
        client.send(
          new LookupEventsCommand({
            LookupAttributes: [
              { AttributeKey: 'EventName', AttributeValue: 'RunInstances' },
              { AttributeKey: 'ResourceName', AttributeValue: 'i-1' },
            ],
          }),
        ),
      ),
      errorOf(client.send(new LookupEventsCommand({ StartTime: hoursAgo(1), EndTime: hoursAgo(2) }))),
      errorOf(client.send(new DescribeTrailsCommand({}))),
    ]);

    // Assess
    expect(errors).toEqual([
      'InvalidMaxResultsException',
      'InvalidLookupAttributesException',
      'InvalidTimeRangeException',
      'UnknownOperationException',
    ]);
  });

  it('throttles every n-th call, and the SDK retries through it', async () => {
    // Prepare
    fake.setThrottling({ everyNthCall: 2 });
    const noRetry = clientFor(credentialsA);
    const withRetry = clientFor(credentialsA, 'us-east-1', 3);

    // Act
    const first = await errorOf(noRetry.send(new LookupEventsCommand({})));
    const second = await errorOf(noRetry.send(new LookupEventsCommand({})));
    fake.clearCalls();
    const retried = await errorOf(withRetry.send(new LookupEventsCommand({})));
    const afterRetry = await errorOf(withRetry.send(new LookupEventsCommand({})));

    // Assess
    expect([first, second]).toEqual(['no error', 'ThrottlingException']);
    expect([retried, afterRetry]).toEqual(['no error', 'no error']);
    expect(fake.calls.map((call) => call.outcome)).toEqual(['ok', 'ThrottlingException', 'ok']);
  });
});

describe('startCloudTrailFake with the per-second limit', () => {
  it('allows 2 calls per second per account and region, as CloudTrail does', async () => {
    // Prepare
    let now = 1_000_000;
    const accounts: Record<string, string> = { AKIDA: ACCOUNT_A, AKIDB: ACCOUNT_B };
    const fake = await startCloudTrailFake({
      throttling: { perSecondPerAccountRegion: 2 },
      now: () => now,
      accountResolver: async (accessKeyId) => accounts[accessKeyId] ?? 'unknown',
    });
    const client = (accessKeyId: string, region = 'us-east-1') =>
      new CloudTrailClient({
        ...emulatorClientConfig(fake.endpoint, { region, credentials: { accessKeyId, secretAccessKey: 'x' } }),
        maxAttempts: 1,
      });
    const call = (accessKeyId: string, region?: string) =>
      client(accessKeyId, region)
        .send(new LookupEventsCommand({}))
        .then(
          () => 'ok',
          (error: Error) => error.name,
        );

    try {
      // Act
      const sameSecond = [await call('AKIDA'), await call('AKIDA'), await call('AKIDA')];
      const otherAccountAndRegion = [await call('AKIDB'), await call('AKIDA', 'eu-west-1')];
      now += 1_000;
      const nextSecond = await call('AKIDA');

      // Assess
      expect(sameSecond).toEqual(['ok', 'ok', 'ThrottlingException']);
      expect(otherAccountAndRegion).toEqual(['ok', 'ok']);
      expect(nextSecond).toBe('ok');
    } finally {
      await fake.stop();
    }
  });

  it('answers requests that are not CloudTrail JSON calls with a JSON error', async () => {
    // Prepare
    const fake = await startCloudTrailFake();

    try {
      // Act
      const response = await fetch(`${fake.endpoint}/`, { method: 'GET' });
      const body = (await response.json()) as { __type?: string };
      const unsigned = await fetch(`${fake.endpoint}/`, {
        method: 'POST',
        headers: { 'x-amz-target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents' },
        body: '{}',
      });

      // Assess
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
      expect(body.__type).toBe('UnknownOperationException');
      expect(unsigned.status).toBe(403);
      expect(((await unsigned.json()) as { __type?: string }).__type).toBe('MissingAuthenticationTokenException');
    } finally {
      await fake.stop();
    }
  });
});

describe('startCloudTrailFake and the AWS CLI', () => {
  it("accepts botocore's long X-Amz-Target form too", async () => {
    // Prepare
    const fake = await startCloudTrailFake();
    try {
      // Act
      const response = await fetch(`${fake.endpoint}/`, {
        method: 'POST',
        headers: {
          'x-amz-target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents',
          authorization:
            'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/cloudtrail/aws4_request, SignedHeaders=host, Signature=0',
        },
        body: '{}',
      });

      // Assess
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ Events: [] });
    } finally {
      await fake.stop();
    }
  });
});
