import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DescribeRuleCommand, type EventBridgeClient, ListRuleNamesByTargetCommand } from '@aws-sdk/client-eventbridge';
import { GetFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { FINDING_FORWARDING_BUS_NAME, STACK_NAMES } from '@cryptominer-defense/central/deployment-names';
import { RESPONDER_ALARMED_METRICS } from '@cryptominer-defense/central/responder-alarm-metrics';
import { ConfigurationError, parseConfiguration } from '@cryptominer-defense/core';
import { checkAlarm } from './checkAlarm';
import { accessOr, type CheckResult, DeploymentGap, needs, runCheck } from './checkResult';
import type { CentralDeployment } from './readCentralDeployment';

export interface CentralClients {
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly lambda: LambdaClient;
  readonly cloudWatch: CloudWatchClient;
  readonly eventBridge: EventBridgeClient;
}

interface Queues {
  readonly queueArn: string;
  readonly deadLetterQueueArn: string;
}

const REDEPLOY = `Redeploy ${STACK_NAMES.central} (docs/deploy.md); do not create or change it by hand.`;
const lastArnPart = (arn: string) => arn.split(':').at(-1) ?? arn;

async function readQueues(sqs: SQSClient, queueUrl: string): Promise<Queues> {
  const queue = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn', 'RedrivePolicy'] }),
  );
  const queueArn = queue.Attributes?.QueueArn ?? '';
  const redrive = queue.Attributes?.RedrivePolicy;
  const deadLetterQueueArn = redrive === undefined ? undefined : (JSON.parse(redrive).deadLetterTargetArn as string);
  if (deadLetterQueueArn === undefined) {
    throw new DeploymentGap('NoRedrivePolicy', `The findings queue has no dead-letter queue. ${REDEPLOY}`);
  }
  return { queueArn, deadLetterQueueArn };
}

async function checkDeadLetterQueue(sqs: SQSClient, deadLetterQueueArn: string): Promise<void> {
  // arn:<partition>:sqs:<region>:<account>:<name>
  const [, , , , account, name] = deadLetterQueueArn.split(':');
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }));
  await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
}

/** The function's environment must parse as the responder parses it at start-up, and name this stack's pieces. */
async function checkFunctionConfiguration(
  lambda: LambdaClient,
  deployment: CentralDeployment,
  queues: Promise<Queues>,
): Promise<void> {
  const configuration = await lambda.send(
    new GetFunctionConfigurationCommand({ FunctionName: deployment.responderFunctionName }),
  );
  const variables = configuration.Environment?.Variables ?? {};
  // Lambda sets AWS_REGION itself, to the function's region.
  const parsed = (() => {
    try {
      return parseConfiguration({ ...variables, AWS_REGION: deployment.homeRegion });
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      throw new DeploymentGap('ConfigurationError', `${error.message}. ${REDEPLOY}`);
    }
  })();
  const mismatch = (variable: string, actual: string | undefined, expected: string) => {
    if (actual !== expected) {
      throw new DeploymentGap(
        'Mismatch',
        `The function's ${variable} is "${actual ?? ''}", the stack's is "${expected}". ${REDEPLOY}`,
      );
    }
  };
  mismatch('REPORT_BUCKET', parsed.reportBucket, deployment.incidentBucketName);
  mismatch('RESPONDER_ROLE_NAME', parsed.responderRoleName, deployment.responderRoleName);
  mismatch('FINDING_QUEUE_ARN', variables.FINDING_QUEUE_ARN, (await needs(queues, 'findings queue exists')).queueArn);
}

async function checkRuleIntoQueue(eventBridge: EventBridgeClient, eventBusName: string, queues: Promise<Queues>) {
  const { queueArn } = await needs(queues, 'findings queue exists');
  const { RuleNames = [] } = await eventBridge.send(
    new ListRuleNamesByTargetCommand({ TargetArn: queueArn, EventBusName: eventBusName }),
  );
  const states = await Promise.all(
    RuleNames.map(
      async (name) =>
        (await eventBridge.send(new DescribeRuleCommand({ Name: name, EventBusName: eventBusName }))).State,
    ),
  );
  if (!states.includes('ENABLED')) {
    throw new DeploymentGap('NotFound', `No enabled rule on ${eventBusName} puts findings on the queue. ${REDEPLOY}`);
  }
}

/** The home region's resources: bucket, queue and dead-letter queue, function configuration, rules, alarms. */
export async function checkCentralResources(
  clients: CentralClients,
  deployment: CentralDeployment,
): Promise<CheckResult[]> {
  const queues = readQueues(clients.sqs, deployment.findingsQueueUrl);
  queues.catch(() => undefined); // each dependent row reports the failure itself
  const deadLetterQueueName = queues.then((found) => lastArnPart(found.deadLetterQueueArn));
  deadLetterQueueName.catch(() => undefined);
  const alarmFix = (code: string) => accessOr(code, 'cloudwatch:DescribeAlarmsForMetric', REDEPLOY);
  const alarmed = RESPONDER_ALARMED_METRICS;
  return Promise.all([
    runCheck(
      'incident bucket exists',
      deployment.incidentBucketName,
      () => clients.s3.send(new HeadBucketCommand({ Bucket: deployment.incidentBucketName })),
      (code) =>
        accessOr(code, 's3:ListBucket', `The bucket is gone (it is retained when the stack is deleted). ${REDEPLOY}`),
    ),
    runCheck(
      'findings queue exists',
      deployment.findingsQueueUrl.split('/').at(-1) ?? deployment.findingsQueueUrl,
      () => queues,
      (code) => accessOr(code, 'sqs:GetQueueAttributes', `The findings queue is gone. ${REDEPLOY}`),
    ),
    runCheck(
      'dead-letter queue exists',
      'the findings queue’s redrive target',
      async () => checkDeadLetterQueue(clients.sqs, (await needs(queues, 'findings queue exists')).deadLetterQueueArn),
      (code) => accessOr(code, 'sqs:GetQueueUrl', `The dead-letter queue is gone. ${REDEPLOY}`),
    ),
    runCheck(
      'function configuration parses',
      deployment.responderFunctionName,
      () => checkFunctionConfiguration(clients.lambda, deployment, queues),
      (code) => accessOr(code, 'lambda:GetFunctionConfiguration', `The responder function is gone. ${REDEPLOY}`),
    ),
    runCheck(
      'rule puts home-region findings on the queue',
      'default event bus',
      () => checkRuleIntoQueue(clients.eventBridge, 'default', queues),
      (code) => accessOr(code, 'events:ListRuleNamesByTarget', REDEPLOY),
    ),
    runCheck(
      'rule puts forwarded findings on the queue',
      FINDING_FORWARDING_BUS_NAME,
      () => checkRuleIntoQueue(clients.eventBridge, FINDING_FORWARDING_BUS_NAME, queues),
      (code) => accessOr(code, 'events:ListRuleNamesByTarget', `The forwarding bus or its rule is gone. ${REDEPLOY}`),
    ),
    runCheck(
      'alarm: findings in the dead-letter queue',
      'dead-letter queue',
      async () =>
        checkAlarm(
          clients.cloudWatch,
          alarmed.findingsInDeadLetterQueue,
          await needs(deadLetterQueueName, 'findings queue exists'),
          REDEPLOY,
        ),
      alarmFix,
    ),
    runCheck(
      'alarm: responder errors',
      deployment.responderFunctionName,
      () => checkAlarm(clients.cloudWatch, alarmed.responderErrors, deployment.responderFunctionName, REDEPLOY),
      alarmFix,
    ),
    runCheck(
      'alarm: failed containment steps',
      alarmed.failedContainmentSteps.metricName,
      () => checkAlarm(clients.cloudWatch, alarmed.failedContainmentSteps, undefined, REDEPLOY),
      alarmFix,
    ),
    runCheck(
      'alarm: rejected events',
      alarmed.rejectedEvents.metricName,
      () => checkAlarm(clients.cloudWatch, alarmed.rejectedEvents, undefined, REDEPLOY),
      alarmFix,
    ),
  ]);
}
