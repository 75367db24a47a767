import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  CENTRAL_OUTPUT_NAMES,
  CENTRAL_PARAMETER_NAMES,
  FINDING_FORWARDING_BUS_NAME,
  FORWARDING_RULE_NAME,
  STACK_NAMES,
} from '@cryptominer-defense/central/deployment-names';
import {
  type AlarmedMetric,
  RESPONDER_ALARMED_METRICS,
  UNDELIVERED_FINDINGS_METRIC,
} from '@cryptominer-defense/central/responder-alarm-metrics';
import { cryptoMiningEventPattern, DEFAULT_RESPONDER_ROLE_NAME } from '@cryptominer-defense/core';
import { emulatorClientConfig, seedLambdaFunction } from '@cryptominer-defense/testing';

export interface CentralDeploymentSpec {
  readonly homeRegion: string;
  readonly forwardedRegion: string;
  /** The existing incident bucket. */
  readonly bucketName: string;
  readonly targetOrganizationalUnitIds: readonly string[];
}

export interface SeededCentralDeployment {
  readonly functionName: string;
  readonly forwardingBusArn: string;
}

export interface ForwarderSpec {
  readonly region: string;
  readonly forwardingBusArn: string;
}

/** What CryptominerForwarder-<region> holds: the rule to the home bus, its dead-letter queue, the alarm on it. */
export async function seedForwarder(endpoint: string, spec: ForwarderSpec): Promise<void> {
  const config = emulatorClientConfig(endpoint, { region: spec.region });
  const eventBridge = new EventBridgeClient(config);
  const sqs = new SQSClient(config);
  const cloudWatch = new CloudWatchClient(config);
  try {
    const deadLetterQueue = await sqs.send(new CreateQueueCommand({ QueueName: UNDELIVERED_FINDINGS_QUEUE_NAME }));
    const pattern = JSON.stringify(cryptoMiningEventPattern());
    await eventBridge.send(new PutRuleCommand({ Name: FORWARDING_RULE_NAME, EventPattern: pattern }));
    await eventBridge.send(
      new PutTargetsCommand({
        Rule: FORWARDING_RULE_NAME,
        Targets: [
          {
            Id: 'HomeBus',
            Arn: spec.forwardingBusArn,
            DeadLetterConfig: { Arn: await queueArnOf(sqs, deadLetterQueue.QueueUrl) },
          },
        ],
      }),
    );
    await putAlarm(
      cloudWatch,
      'CryptominerForwarder-UndeliveredFindingsAlarm',
      UNDELIVERED_FINDINGS_METRIC,
      UNDELIVERED_FINDINGS_QUEUE_NAME,
      `arn:aws:sns:${spec.region}:123456789012:alarms`,
    );
  } finally {
    for (const client of [eventBridge, sqs, cloudWatch]) client.destroy();
  }
}

async function putAlarm(
  cloudWatch: CloudWatchClient,
  alarmName: string,
  metric: AlarmedMetric,
  dimensionValue: string,
  alarmTopicArn: string | undefined,
): Promise<void> {
  await cloudWatch.send(
    new PutMetricAlarmCommand({
      AlarmName: alarmName,
      Namespace: metric.namespace,
      MetricName: metric.metricName,
      ...(metric.dimension === undefined
        ? {}
        : { Dimensions: [{ Name: metric.dimension.name, Value: dimensionValue }] }),
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: alarmTopicArn === undefined ? [] : [alarmTopicArn],
    }),
  );
}

const UNDELIVERED_FINDINGS_QUEUE_NAME = 'CryptominerForwarder-UndeliveredFindings';
const FUNCTION_NAME = 'CryptominerCentral-ResponderFunction';

async function queueArnOf(sqs: SQSClient, queueUrl: string | undefined): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  return Attributes?.QueueArn ?? '';
}

/**
 * What `cli doctor` checks, in the emulator's default account. moto's CloudFormation skips the alarms, policies and
 * the StackSet of the real central template (apps/central's centralStackOnEmulator test), so the resources are
 * created here with the SDK, and the stack carries the central stack's parameters and outputs (by the names the
 * CDK app gives them) pointing at them, beside one topic, the alarms' action.
 */
export async function seedCentralDeployment(
  endpoint: string,
  spec: CentralDeploymentSpec,
): Promise<SeededCentralDeployment> {
  const home = emulatorClientConfig(endpoint, { region: spec.homeRegion });
  const sqs = new SQSClient(home);
  const eventBridge = new EventBridgeClient(home);
  const lambda = new LambdaClient(home);
  const iam = new IAMClient(home);
  const cloudWatch = new CloudWatchClient(home);
  const cloudFormation = new CloudFormationClient(home);
  try {
    const deadLetterQueue = await sqs.send(
      new CreateQueueCommand({ QueueName: 'CryptominerCentral-FindingsDeadLetterQueue' }),
    );
    const deadLetterQueueArn = await queueArnOf(sqs, deadLetterQueue.QueueUrl);
    const queue = await sqs.send(
      new CreateQueueCommand({
        QueueName: 'CryptominerCentral-FindingsQueue',
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterQueueArn, maxReceiveCount: 3 }) },
      }),
    );
    const queueArn = await queueArnOf(sqs, queue.QueueUrl);

    const { EventBusArn: forwardingBusArn = '' } = await eventBridge.send(
      new CreateEventBusCommand({ Name: FINDING_FORWARDING_BUS_NAME }),
    );
    const pattern = JSON.stringify(cryptoMiningEventPattern());
    for (const [rule, bus] of [
      ['CryptominerCentral-HomeRegionFindings', 'default'],
      ['CryptominerCentral-ForwardedFindings', FINDING_FORWARDING_BUS_NAME],
    ] as const) {
      await eventBridge.send(new PutRuleCommand({ Name: rule, EventBusName: bus, EventPattern: pattern }));
      await eventBridge.send(
        new PutTargetsCommand({ Rule: rule, EventBusName: bus, Targets: [{ Id: 'Queue', Arn: queueArn }] }),
      );
    }
    await seedForwarder(endpoint, { region: spec.forwardedRegion, forwardingBusArn });

    const { functionName } = await seedLambdaFunction({ iam, lambda }, { functionName: FUNCTION_NAME });
    await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: functionName,
        Environment: {
          Variables: {
            REPORT_BUCKET: spec.bucketName,
            RESPONDER_ROLE_NAME: DEFAULT_RESPONDER_ROLE_NAME,
            ISOLATION_SG_NAME: 'CryptominerIsolationGroup',
            PROTECTED_PRINCIPALS: '',
            FINDING_QUEUE_ARN: queueArn,
          },
        },
      }),
    );

    await cloudFormation.send(
      new CreateStackCommand({
        StackName: STACK_NAMES.central,
        TemplateBody: JSON.stringify({
          Parameters: {
            [CENTRAL_PARAMETER_NAMES.responderRoleName]: { Type: 'String' },
            // The real stack's is a CommaDelimitedList; moto 5.2.5 describes one as a Python list ("['ou-…', …]"),
            // where AWS answers "ou-…,ou-…". A String gives AWS's answer.
            [CENTRAL_PARAMETER_NAMES.targetOrganizationalUnitIds]: { Type: 'String' },
            [CENTRAL_PARAMETER_NAMES.projectionRegions]: { Type: 'String' },
          },
          Resources: { Alerts: { Type: 'AWS::SNS::Topic' } },
          Outputs: {
            [CENTRAL_OUTPUT_NAMES.incidentBucketName]: { Value: spec.bucketName },
            [CENTRAL_OUTPUT_NAMES.findingsQueueUrl]: { Value: queue.QueueUrl },
            [CENTRAL_OUTPUT_NAMES.responderFunctionName]: { Value: functionName },
            [CENTRAL_OUTPUT_NAMES.alertTopicArn]: { Value: { Ref: 'Alerts' } },
            [CENTRAL_OUTPUT_NAMES.forwardingBusArn]: { Value: forwardingBusArn },
          },
        }),
        Parameters: [
          { ParameterKey: CENTRAL_PARAMETER_NAMES.responderRoleName, ParameterValue: DEFAULT_RESPONDER_ROLE_NAME },
          {
            ParameterKey: CENTRAL_PARAMETER_NAMES.targetOrganizationalUnitIds,
            ParameterValue: spec.targetOrganizationalUnitIds.join(','),
          },
          {
            ParameterKey: CENTRAL_PARAMETER_NAMES.projectionRegions,
            ParameterValue: `${spec.homeRegion},${spec.forwardedRegion}`,
          },
        ],
      }),
    );
    const described = await cloudFormation.send(new DescribeStacksCommand({ StackName: STACK_NAMES.central }));
    const alertTopicArn = described.Stacks?.[0]?.Outputs?.find(
      (output) => output.OutputKey === CENTRAL_OUTPUT_NAMES.alertTopicArn,
    )?.OutputValue;

    const dimensionValues = {
      deadLetterQueue: 'CryptominerCentral-FindingsDeadLetterQueue',
      responderFunction: functionName,
    };
    for (const [name, metric] of Object.entries(RESPONDER_ALARMED_METRICS) as [string, AlarmedMetric][]) {
      const dimensionValue = metric.dimension === undefined ? '' : dimensionValues[metric.dimension.of];
      await putAlarm(cloudWatch, `CryptominerCentral-Alarms-${name}`, metric, dimensionValue, alertTopicArn);
    }
    return { functionName, forwardingBusArn };
  } finally {
    for (const client of [sqs, eventBridge, lambda, iam, cloudWatch, cloudFormation]) {
      client.destroy();
    }
  }
}
