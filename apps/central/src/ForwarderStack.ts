import { cryptoMiningEventPattern } from '@cryptominer-defense/core';
import {
  Aws,
  CfnCondition,
  CfnParameter,
  CliCredentialsStackSynthesizer,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { EventBus as EventBusTarget } from 'aws-cdk-lib/aws-events-targets';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ALERT_EMAIL_PATTERN } from './centralParameters';
import { AlertTopic } from './constructs/AlertTopic';
import { FORWARDER_ROLE_NAME_PREFIX } from './constructs/FindingForwardingBus';
import { allowCloudWatchAlarmsToUse } from './constructs/IncidentKey';
import { FINDING_FORWARDING_BUS_NAME, FORWARDING_RULE_NAME } from './deploymentNames';
import { UNDELIVERED_FINDINGS_METRIC } from './responderAlarmMetrics';

export interface ForwarderStackProps extends StackProps {
  /** The region of the central stack, whose forwarding bus receives this region's findings. */
  readonly homeRegion: string;
}

/**
 * One per region other than the home region (GuardDuty is regional: the delegated admin receives each region's
 * findings on that region's default bus). Forwards the same crypto-mining findings to the home forwarding bus.
 */
export class ForwarderStack extends Stack {
  constructor(scope: Construct, id: string, props: ForwarderStackProps) {
    super(scope, id, {
      description: 'Cryptominer Auto Defense: forwards crypto-mining findings of this region to the home region',
      // No assets: deployable with the CLI's credentials, without bootstrapping every region.
      synthesizer: new CliCredentialsStackSynthesizer(),
      ...props,
    });
    const homeBusArn = `arn:${Aws.PARTITION}:events:${props.homeRegion}:${Aws.ACCOUNT_ID}:event-bus/${FINDING_FORWARDING_BUS_NAME}`;
    const ruleArn = `arn:${Aws.PARTITION}:events:${this.region}:${Aws.ACCOUNT_ID}:rule/${FORWARDING_RULE_NAME}`;
    const role = new Role(this, 'ForwarderRole', {
      roleName: `${FORWARDER_ROLE_NAME_PREFIX}${this.region}`,
      description: 'EventBridge puts this region crypto-mining findings on the home forwarding bus',
      // Only this rule's deliveries: EventBridge assumes roles for every account (the confused-deputy conditions).
      assumedBy: new ServicePrincipal('events.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnEquals: { 'aws:SourceArn': ruleArn },
        },
      }),
      inlinePolicies: {
        PutOnHomeBus: new PolicyDocument({
          statements: [new PolicyStatement({ actions: ['events:PutEvents'], resources: [homeBusArn] })],
        }),
      },
    });
    // A finding EventBridge could not put on the home bus (throttled, the bus refusing) waits here, alarmed,
    // instead of being dropped after EventBridge's retries.
    const deadLetterQueue = new Queue(this, 'UndeliveredFindings', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is the forwarding rule's dead-letter queue (EventBridge's DeadLetterConfig, which cdk-nag does not see as one); nothing consumes it but a person.",
    });
    new Rule(this, 'ForwardCryptoFindings', {
      ruleName: FORWARDING_RULE_NAME,
      description: 'Crypto-mining findings, on any resource, to the home region',
      eventPattern: cryptoMiningEventPattern(),
      targets: [
        new EventBusTarget(EventBus.fromEventBusArn(this, 'HomeBus', homeBusArn), {
          role: role.withoutPolicyUpdates(),
          deadLetterQueue,
        }),
      ],
    });
    // Alarm actions must be in the alarm's region: the home region's alert topic cannot be its action, so each
    // forwarding region has its own, encrypted with a key of its own that CloudWatch may use for this account's alarms.
    const alarmKey = new Key(this, 'AlarmTopicKey', {
      description: 'Cryptominer Auto Defense: the alarm topic of this forwarding region',
      enableKeyRotation: true,
      pendingWindow: Duration.days(7),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    allowCloudWatchAlarmsToUse(alarmKey);
    const alertEmail = new CfnParameter(this, 'AlertEmail', {
      type: 'String',
      default: '',
      allowedPattern: ALERT_EMAIL_PATTERN,
      description: 'Optional e-mail address subscribed to this region alarms (confirm the subscription).',
    });
    const alarmTopic = new AlertTopic(this, 'AlarmTopic', {
      key: alarmKey,
      email: {
        address: alertEmail.valueAsString,
        condition: new CfnCondition(this, 'HasAlertEmail', {
          expression: Fn.conditionNot(Fn.conditionEquals(alertEmail.valueAsString, '')),
        }),
      },
    });
    const undelivered = new Alarm(this, 'UndeliveredFindingsAlarm', {
      alarmDescription: `A crypto-mining finding of ${this.region} could not be forwarded to the home region and waits in the dead-letter queue`,
      metric: new Metric({
        namespace: UNDELIVERED_FINDINGS_METRIC.namespace,
        metricName: UNDELIVERED_FINDINGS_METRIC.metricName,
        dimensionsMap: { [UNDELIVERED_FINDINGS_METRIC.dimension.name]: deadLetterQueue.queueName },
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    undelivered.addAlarmAction(new SnsAction(alarmTopic.topic));
  }
}
