import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CRYPTO_MINING_FINDING_TYPES } from '@cryptominer-defense/core';
import { emulatorClientConfig } from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findingEventCases } from './helpers/findingEventCases';
import { synthesizeCentralApp } from './helpers/synthesizeCentralApp';

const cases = findingEventCases();
let arrivedFindingIds: string[] = [];

/** The rule's pattern as synthesized into the central template (not rebuilt from core). */
function synthesizedPattern(): unknown {
  const rules = Object.values(synthesizeCentralApp().central.findResources('AWS::Events::Rule'));
  const patterns = rules.map((rule) => JSON.stringify(rule.Properties.EventPattern));
  expect(new Set(patterns).size).toBe(1);
  return JSON.parse(patterns[0] ?? '{}');
}

async function drain(sqs: SQSClient, queueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 300 }),
    );
    const messages = received.Messages ?? [];
    if (messages.length === 0) return bodies;
    bodies.push(...messages.map((message) => message.Body ?? ''));
  }
}

describe('the synthesized rule on the emulator bus, rule → queue', () => {
  const config = () => emulatorClientConfig(emulatorEndpoint());
  let events: EventBridgeClient;
  let sqs: SQSClient;

  beforeAll(async () => {
    // Prepare
    events = new EventBridgeClient(config());
    sqs = new SQSClient(config());
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: 'findings' }));
    const queueUrl = queue.QueueUrl ?? '';
    const attributes = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
    );
    await events.send(
      new PutRuleCommand({ Name: 'crypto-mining-findings', EventPattern: JSON.stringify(synthesizedPattern()) }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'crypto-mining-findings',
        Targets: [{ Id: 'queue', Arn: attributes.Attributes?.QueueArn }],
      }),
    );

    // Act
    for (let start = 0; start < cases.length; start += 10) {
      const batch = cases.slice(start, start + 10);
      const result = await events.send(
        new PutEventsCommand({
          Entries: batch.map(({ event }) => ({
            Source: event.source,
            DetailType: event['detail-type'],
            Detail: JSON.stringify(event.detail),
            Resources: [...event.resources].map(String),
          })),
        }),
      );
      expect(result.FailedEntryCount ?? 0).toBe(0);
    }
    arrivedFindingIds = (await drain(sqs, queueUrl)).map(
      (body) => (JSON.parse(body) as { detail: { id: string } }).detail.id,
    );
  });

  afterAll(() => {
    events.destroy();
    sqs.destroy();
  });

  it('delivers every crypto-mining finding, on any resource, and nothing else', () => {
    // Assess
    const expected = cases.filter((c) => c.shouldArrive).map((c) => String(c.event.detail.id));
    expect([...arrivedFindingIds].sort()).toEqual(expected.sort());
  });

  it('covers every kind of case: instance, runtime on EKS/ECS/container/Lambda, attack sequences, other types, fixtures', () => {
    expect(cases.filter((c) => c.shouldArrive)).toHaveLength(21);
    expect(cases.filter((c) => !c.shouldArrive)).toHaveLength(13);
    // Every crypto-mining type core knows is put on the bus about an instance.
    const onInstance = cases
      .filter((c) => (c.event.detail.resource as { resourceType?: string }).resourceType === 'Instance')
      .map((c) => String(c.event.detail.type));
    for (const type of CRYPTO_MINING_FINDING_TYPES) expect(onInstance).toContain(type);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, findingCase) => {
    // Assess
    expect(arrivedFindingIds.includes(String(findingCase.event.detail.id))).toBe(findingCase.shouldArrive);
  });
});
