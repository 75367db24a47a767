import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  CHAT_LIMITS,
  chatNotificationSchema,
  type IncidentReport,
  incidentChatNotification,
} from '@cryptominer-defense/core';
import {
  EMULATOR_CREDENTIALS,
  emulatorClientConfig,
  guardDutyFindingEvent,
  iamUserIdentity,
  runInstancesRecord,
} from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ResponderWorld, startResponderWorld } from '../support/responderWorld';

let world: ResponderWorld;
let sns: SNSClient;
let sqs: SQSClient;
let responded: { report: IncidentReport; location: string } | undefined;

beforeAll(async () => {
  world = await startResponderWorld(emulatorEndpoint(), { regions: ['us-east-1'] });
  const config = emulatorClientConfig(world.endpoint, { credentials: EMULATOR_CREDENTIALS });
  sns = new SNSClient(config);
  sqs = new SQSClient(config);
}, 120_000);

afterAll(async () => {
  sns?.destroy();
  sqs?.destroy();
  await world?.close();
});

/** A topic with an SQS queue subscribed to it (the SNS envelope, as a chat service's endpoint receives it). */
async function subscribedTopic(name: string): Promise<{ topicArn: string; queueUrl: string }> {
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: name }))).TopicArn ?? '';
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-subscriber` }))).QueueUrl ?? '';
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  await sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: attributes.Attributes?.QueueArn ?? '' }),
  );
  return { topicArn, queueUrl };
}

/** Every SNS notification the queue holds, as SNS delivers it (envelope), at most ten. */
async function notificationsIn(queueUrl: string): Promise<{ Type: string; TopicArn: string; Message: string }[]> {
  const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
  return (received.Messages ?? []).map((message) => JSON.parse(message.Body ?? '{}'));
}

describe('the chat alert (Amazon Q Developer in chat applications custom notification)', () => {
  it('reaches the chat topic in the documented shape, while the plain-text topic gets the text as before', async () => {
    // Prepare
    const member = world.organization.member('workload-a');
    const region = 'us-east-1';
    const { instanceId } = member.inRegion(region).standaloneInstance;
    world.cloudTrail.addRecords(
      runInstancesRecord({
        identity: iamUserIdentity({ accountId: member.accountId, userName: member.identities.developer.userName }),
        region,
        instanceIds: [instanceId],
      }),
    );
    const [text, chat] = await Promise.all([subscribedTopic('incidents'), subscribedTopic('incidents-chat')]);
    const responder = world.createResponder({ ALERT_TOPIC_ARN: text.topicArn, CHAT_ALERT_TOPIC_ARN: chat.topicArn });

    // Act
    const handled = await responder.handle(guardDutyFindingEvent({ accountId: member.accountId, region, instanceId }));

    // Assess
    if (handled.kind !== 'reported') throw new Error(`expected a report, got ${handled.kind}`);
    const report: IncidentReport = handled.report;
    const location = `s3://${handled.bucket}/${handled.key}`;
    responded = { report, location };
    const [chatDelivery, ...moreChat] = await notificationsIn(chat.queueUrl);
    expect(moreChat).toEqual([]);
    expect(chatDelivery?.TopicArn).toBe(chat.topicArn);
    const parsed = chatNotificationSchema.safeParse(JSON.parse(chatDelivery?.Message ?? 'null'));
    expect(parsed.error?.issues ?? []).toEqual([]);
    const notification = parsed.data;
    expect(notification?.content.description).toContain(report.findingId);
    expect(notification?.content.description).toContain(location);
    expect(notification?.content.title).toContain(instanceId);
    expect(notification?.metadata?.threadId).toBe(report.findingId);
    expect(notification?.content.nextSteps?.at(-1)).toContain(`cli reports show ${report.findingId} --format html`);
    // The plain-text subscribers: the same text as ever, not the chat JSON.
    const [textDelivery, ...moreText] = await notificationsIn(text.queueUrl);
    expect(moreText).toEqual([]);
    expect(textDelivery?.Message).toMatch(/^CryptoCurrency:EC2\/BitcoinTool\.B!DNS on i-/);
    expect(textDelivery?.Message).toContain(`Report: ${location}`);
  });

  it('holds every field to its limit and keeps chat markup out of report text', () => {
    // Prepare: the response's report, with long text that pings a channel and links elsewhere.
    if (responded === undefined) throw new Error('the first test wrote no report');
    const hostile = '<!channel> <https://evil.example|click here> `x` *y* ';
    const report: IncidentReport = {
      ...responded.report,
      instanceId: `${hostile}${'i'.repeat(400)}`,
      manualInterventionReasons: Array.from(
        { length: 12 },
        (_unused, index) => `${index} ${hostile}${'z'.repeat(900)}`,
      ),
    };

    // Act
    const notification = incidentChatNotification(report, responded.location);

    // Assess
    expect(chatNotificationSchema.safeParse(notification).error?.issues ?? []).toEqual([]);
    expect(notification.content.nextSteps).toHaveLength(CHAT_LIMITS.nextSteps);
    const texts = [
      notification.content.title ?? '',
      notification.content.description,
      ...(notification.content.nextSteps ?? []),
    ];
    expect(texts.filter((value) => /<!|<https/.test(value))).toEqual([]);
    expect(notification.content.description).toContain('&lt;!channel&gt;');
  });

  it('refuses, as the documented shape does, a wrong version, a missing description, too many next steps', () => {
    const valid = { version: '1.0', source: 'custom', content: { description: 'd' } };
    expect(chatNotificationSchema.safeParse(valid).success).toBe(true);
    expect(chatNotificationSchema.safeParse({ ...valid, version: '2.0' }).success).toBe(false);
    expect(chatNotificationSchema.safeParse({ ...valid, source: 'aws.guardduty' }).success).toBe(false);
    expect(chatNotificationSchema.safeParse({ ...valid, content: {} }).success).toBe(false);
    expect(
      chatNotificationSchema.safeParse({ ...valid, content: { description: 'd', textType: 'markdown' } }).success,
    ).toBe(false);
    expect(
      chatNotificationSchema.safeParse({
        ...valid,
        content: { description: 'd', nextSteps: Array.from({ length: CHAT_LIMITS.nextSteps + 1 }, () => 'n') },
      }).success,
    ).toBe(false);
  });
});
