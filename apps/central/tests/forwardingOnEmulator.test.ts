import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  EMULATOR_DEFAULT_ACCOUNT_ID,
  emulatorClientConfig,
  guardDutyEksFindingEvent,
  guardDutyFindingEvent,
} from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { FINDING_FORWARDING_BUS_NAME } from '../src/index';
import { synthesizeCentralApp } from './helpers/synthesizeCentralApp';

const HOME = 'us-east-1';
const FORWARDED = 'eu-west-1';
const ACCOUNT = EMULATOR_DEFAULT_ACCOUNT_ID;

interface RuleProperties {
  EventPattern: unknown;
  EventBusName?: unknown;
  Targets: { Arn: unknown }[];
}

const synthesized = synthesizeCentralApp({ homeRegion: HOME, forwardedRegions: [FORWARDED], account: undefined });

function onlyRule(template: ReturnType<typeof synthesizeCentralApp>['central'], onForwardingBus: boolean) {
  const rules = Object.values(template.findResources('AWS::Events::Rule')).map(
    (rule) => rule.Properties as RuleProperties,
  );
  const matching = rules.filter((rule) => (rule.EventBusName !== undefined) === onForwardingBus);
  expect(matching).toHaveLength(1);
  return matching[0] as RuleProperties;
}

/** Resolves the synthesized target ARN (Fn::Join of partition, account and literals) for this emulator. */
function resolveArn(arn: unknown): string {
  const join = (arn as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return join[1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const ref = (part as { Ref: string }).Ref;
      return { 'AWS::Partition': 'aws', 'AWS::AccountId': ACCOUNT }[ref] ?? `<${ref}>`;
    })
    .join(join[0]);
}

let arrived: { id: string; region: string }[] = [];

describe('a finding of another region, forwarded to the home region (rule → forwarding bus → rule → queue)', () => {
  const [forwarderTemplate] = synthesized.forwarders;
  const crypto = guardDutyFindingEvent({
    accountId: '111111111111',
    region: FORWARDED,
    instanceId: 'i-0aaaaaaaaaaaaaaaa',
  });
  const notCrypto = guardDutyFindingEvent({
    accountId: '111111111111',
    region: FORWARDED,
    instanceId: 'i-0bbbbbbbbbbbbbbbb',
    type: 'Recon:EC2/PortProbeUnprotectedPort',
  });
  const onEks = guardDutyEksFindingEvent({ accountId: '111111111111', region: FORWARDED, clusterName: 'prod' });

  beforeAll(async () => {
    // Prepare: the home side (forwarding bus, its rule, the queue) and the forwarded region's rule, as synthesized.
    if (forwarderTemplate === undefined) throw new Error('No forwarder stack was synthesized');
    const home = new EventBridgeClient(emulatorClientConfig(emulatorEndpoint(), { region: HOME }));
    const away = new EventBridgeClient(emulatorClientConfig(emulatorEndpoint(), { region: FORWARDED }));
    const sqs = new SQSClient(emulatorClientConfig(emulatorEndpoint(), { region: HOME }));
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'findings' }))).QueueUrl ?? '';
    const queueArn = (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))
    ).Attributes?.QueueArn;
    await home.send(new CreateEventBusCommand({ Name: FINDING_FORWARDING_BUS_NAME }));
    const forwardedRule = onlyRule(synthesized.central, true);
    await home.send(
      new PutRuleCommand({
        Name: 'forwarded-findings',
        EventBusName: FINDING_FORWARDING_BUS_NAME,
        EventPattern: JSON.stringify(forwardedRule.EventPattern),
      }),
    );
    await home.send(
      new PutTargetsCommand({
        Rule: 'forwarded-findings',
        EventBusName: FINDING_FORWARDING_BUS_NAME,
        Targets: [{ Id: 'queue', Arn: queueArn }],
      }),
    );
    const forwarderRule = onlyRule(forwarderTemplate, false);
    const homeBusArn = resolveArn(forwarderRule.Targets[0]?.Arn);
    await away.send(new PutRuleCommand({ Name: 'forward', EventPattern: JSON.stringify(forwarderRule.EventPattern) }));
    await away.send(
      new PutTargetsCommand({
        Rule: 'forward',
        Targets: [
          {
            Id: 'home',
            Arn: homeBusArn,
            RoleArn: `arn:aws:iam::${ACCOUNT}:role/CryptominerFindingForwarder-${FORWARDED}`,
          },
        ],
      }),
    );

    // Act
    await away.send(
      new PutEventsCommand({
        Entries: [crypto, notCrypto, onEks].map((event) => ({
          Source: event.source,
          DetailType: event['detail-type'],
          Detail: JSON.stringify(event.detail),
        })),
      }),
    );
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    arrived = (received.Messages ?? []).map((message) => {
      const event = JSON.parse(message.Body ?? '{}') as { detail: { id: string; region: string } };
      return { id: event.detail.id, region: event.detail.region };
    });
    for (const client of [home, away, sqs]) client.destroy();
  });

  it('targets the forwarding bus of the home region', () => {
    const [template] = synthesized.forwarders;
    if (template === undefined) throw new Error('No forwarder stack was synthesized');
    expect(resolveArn(onlyRule(template, false).Targets[0]?.Arn)).toBe(
      `arn:aws:events:${HOME}:${ACCOUNT}:event-bus/${FINDING_FORWARDING_BUS_NAME}`,
    );
  });

  it('delivers the crypto-mining findings of the other region (an EKS one too) to the home queue, with their region intact', () => {
    expect([...arrived].sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [crypto, onEks]
        .map((event) => ({ id: String(event.detail.id), region: FORWARDED }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    );
  });
});
