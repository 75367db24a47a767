import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { cryptoMiningEventPattern } from '@cryptominer-defense/core';
import { emulatorClientConfig, type GuardDutyFindingEventFixture } from '@cryptominer-defense/testing';

const RULE_NAME = 'cryptominer-findings';

/** An SQS event as Lambda's event source mapping hands it to the function. */
export interface SqsLambdaEvent {
  readonly Records: readonly {
    readonly messageId: string;
    readonly receiptHandle: string;
    readonly body: string;
    readonly attributes: Record<string, string>;
    readonly messageAttributes: Record<string, never>;
    readonly md5OfBody: string;
    readonly eventSource: 'aws:sqs';
    readonly eventSourceARN: string;
    readonly awsRegion: string;
  }[];
}

/** The queue behind the rule in one region. */
export interface FindingsQueue {
  readonly region: string;
  readonly queueArn: string;
  /** Receives what the rule delivered, as Lambda would get it (batches of up to 10), deleting it from the queue. */
  receiveBatches(): Promise<SqsLambdaEvent[]>;
  destroy(): void;
}

function toLambdaRecord(message: Message, queueArn: string, region: string): SqsLambdaEvent['Records'][number] {
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: { ...message.Attributes },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/**
 * In one region of the central account: the crypto-mining rule with core's event pattern (the pattern the
 * central stack synthesizes) on the default bus, targeting a queue, as the deployed stack wires it.
 */
export async function installFindingsRule(endpoint: string, region: string): Promise<FindingsQueue> {
  const config = emulatorClientConfig(endpoint, { region });
  const events = new EventBridgeClient(config);
  const sqs = new SQSClient(config);
  try {
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: RULE_NAME }));
    const queueUrl = queue.QueueUrl ?? '';
    const attributes = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
    );
    const queueArn = attributes.Attributes?.QueueArn ?? '';
    await events.send(
      new PutRuleCommand({ Name: RULE_NAME, EventPattern: JSON.stringify(cryptoMiningEventPattern()) }),
    );
    await events.send(new PutTargetsCommand({ Rule: RULE_NAME, Targets: [{ Id: 'findings-queue', Arn: queueArn }] }));
    return {
      region,
      queueArn,
      async receiveBatches() {
        const batches: SqsLambdaEvent[] = [];
        for (;;) {
          const received = await sqs.send(
            new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, AttributeNames: ['All'] }),
          );
          const messages = received.Messages ?? [];
          if (messages.length === 0) return batches;
          batches.push({ Records: messages.map((message) => toLambdaRecord(message, queueArn, region)) });
          await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: messages.map((message, index) => ({
                Id: String(index),
                ReceiptHandle: message.ReceiptHandle ?? '',
              })),
            }),
          );
        }
      },
      destroy() {
        events.destroy();
        sqs.destroy();
      },
    };
  } catch (error) {
    events.destroy();
    sqs.destroy();
    throw error;
  }
}

/** Puts GuardDuty's events on the central account's default bus in their region, as GuardDuty does. */
export async function putFindingEvents(
  endpoint: string,
  region: string,
  findingEvents: readonly GuardDutyFindingEventFixture[],
): Promise<void> {
  const events = new EventBridgeClient(emulatorClientConfig(endpoint, { region }));
  try {
    for (let start = 0; start < findingEvents.length; start += 10) {
      const result = await events.send(
        new PutEventsCommand({
          Entries: findingEvents.slice(start, start + 10).map((event) => ({
            Source: event.source,
            DetailType: event['detail-type'],
            Detail: JSON.stringify(event.detail),
            Resources: event.resources.map(String),
          })),
        }),
      );
      if ((result.FailedEntryCount ?? 0) > 0) {
        throw new Error(`EventBridge refused ${result.FailedEntryCount} event(s) in ${region}.`);
      }
    }
  } finally {
    events.destroy();
  }
}
