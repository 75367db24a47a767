import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { IncidentReport } from '@cryptominer-defense/core';
import {
  accountClients,
  emulatorClientConfig,
  guardDutyFindingEvent,
  type SeededOrganization,
  seedOrganization,
} from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidReport } from './support/expectValidReport';
import { REPORT_BUCKET, type ReliabilityWorld, startReliabilityWorld } from './support/reliabilityWorld';

const REGION = 'us-east-1';
// The central app's queue redrives after this many receives (apps/central); the behaviour does not depend on it.
const MAX_RECEIVE_COUNT = 3;

let world: ReliabilityWorld;
let organization: SeededOrganization;
let sqs: SQSClient;

beforeAll(async () => {
  const emulator = emulatorEndpoint();
  world = await startReliabilityWorld(emulator);
  organization = await seedOrganization(emulator, {
    regions: [REGION],
    members: [{ name: 'workload', organizationalUnit: 'Workloads' }],
  });
  sqs = new SQSClient(emulatorClientConfig(emulator));
}, 120_000);

afterAll(async () => {
  sqs?.destroy();
  await world?.close();
});

async function queueWithDeadLetterQueue(): Promise<{ queueUrl: string; deadLetterUrl: string }> {
  const deadLetter = await sqs.send(new CreateQueueCommand({ QueueName: 'findings-dlq' }));
  const deadLetterUrl = deadLetter.QueueUrl ?? '';
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: deadLetterUrl, AttributeNames: ['QueueArn'] }),
  );
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: 'findings',
      Attributes: {
        // Redelivered at once (the real queue waits for the function's timeout).
        VisibilityTimeout: '0',
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: attributes.Attributes?.QueueArn,
          maxReceiveCount: String(MAX_RECEIVE_COUNT),
        }),
      },
    }),
  );
  return { queueUrl: queue.QueueUrl ?? '', deadLetterUrl };
}

describe('when the incident report cannot be written', () => {
  it('fails the record each time, so SQS redelivers it and finally dead-letters it, with the full report in the log', async () => {
    // Prepare
    const member = organization.member('workload');
    const target = member.inRegion(REGION).multiEniInstance;
    const event = guardDutyFindingEvent({ accountId: member.accountId, region: REGION, instanceId: target.instanceId });
    const { queueUrl, deadLetterUrl } = await queueWithDeadLetterQueue();
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(event) }));
    // Only the reports: whatever else the engine keeps in the bucket still works.
    world.proxy.setRules([
      { service: 's3', operation: 'PutObject', pathPrefix: `/${REPORT_BUCKET}/incidents/`, fault: 'accessDenied' },
    ]);
    const handler = world.createHandler();

    // Act: the Lambda event source mapping's loop, one record per batch.
    const failedDeliveries: string[] = [];
    for (let receive = 0; receive <= MAX_RECEIVE_COUNT; receive++) {
      const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1 }));
      const [message] = received.Messages ?? [];
      if (message === undefined) break;
      const record = { messageId: message.MessageId, eventSource: 'aws:sqs', body: message.Body ?? '' };
      const result = await handler({ Records: [record] });
      if ('batchItemFailures' in result && result.batchItemFailures.length > 0) {
        failedDeliveries.push(message.MessageId ?? '');
      } else {
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
      }
    }
    world.proxy.setRules([]);

    // Assess
    expect(failedDeliveries).toHaveLength(MAX_RECEIVE_COUNT);
    const left = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    expect(left.Messages ?? []).toEqual([]);
    const deadLettered = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: deadLetterUrl, MaxNumberOfMessages: 10 }),
    );
    expect((deadLettered.Messages ?? []).map((message) => JSON.parse(message.Body ?? '{}'))).toEqual([event]);
    const unwritten = world
      .logEntries()
      .filter((entry) => entry.unwrittenReport !== undefined)
      .map((entry) => entry.unwrittenReport as IncidentReport);
    expect(unwritten).toHaveLength(MAX_RECEIVE_COUNT);
    for (const report of unwritten) {
      expectValidReport(report);
      expect(report).toMatchObject({ instanceId: target.instanceId, findingId: event.detail.id });
      expect(report.response).toMatchObject({ networkIsolated: true, instanceStopped: true });
    }
    expect(await world.reportKeys()).toEqual([]);
    // The response itself happened: the instance is contained although its report could not be stored.
    const clients = await accountClients(world.emulator, member.accountId, REGION);
    const described = await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [target.instanceId] }));
    clients.destroy();
    expect(described.Reservations?.[0]?.Instances?.[0]?.State?.Name).toBe('stopped');
  });
});
