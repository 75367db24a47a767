import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  Architecture,
  type IFunction,
  Function as LambdaFunction,
  LoggingFormat,
  Runtime,
} from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { type ILogGroup, LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { responderCode } from '../bundling/responderCode';

/** The responder's configuration, as core's parseConfiguration reads it from the environment. */
export interface ResponderEnvironment {
  readonly REPORT_BUCKET: string;
  readonly REPORT_KMS_KEY_ID: string;
  readonly RESPONDER_ROLE_NAME: string;
  readonly ISOLATION_SG_NAME: string;
  readonly PROTECTED_PRINCIPALS: string;
  readonly DEPLOYMENT_PRINCIPALS: string;
  readonly LAUNCH_AGE_THRESHOLD_HOURS: string;
  readonly MAX_FOLLOWED_INSTANCES: string;
  readonly ALERT_TOPIC_ARN: string;
  /** The same alert as an Amazon Q Developer in chat applications custom notification (decision 0022). */
  readonly CHAT_ALERT_TOPIC_ARN: string;
  /** The ResponsePolicy parameter: observe everywhere unless the deployment widens it. */
  readonly RESPONSE_POLICY: string;
  readonly CONTAINMENT_CAP_PER_ACCOUNT_PER_HOUR: string;
  readonly CONTAINMENT_CAP_PER_ORGANIZATION_PER_HOUR: string;
  /** SecurityHubUpdates: `on` or `off` (core's SECURITY_HUB_UPDATES). */
  readonly SECURITY_HUB_UPDATES: string;
  /** The handler takes SQS records of this queue only (createLambdaHandler compares each eventSourceARN). */
  readonly FINDING_QUEUE_ARN: string;
}

export interface ResponderFunctionProps {
  readonly role: IRole;
  readonly queue: IQueue;
  readonly logGroup: ILogGroup;
  readonly environment: ResponderEnvironment;
  /** Concurrent responses at most. Default 5: enough for a burst, and the member accounts' APIs are not flooded. */
  readonly reservedConcurrency?: number;
}

/** The original design's timeout: one response, including CloudTrail paging under throttling, fits in it. */
export const RESPONDER_TIMEOUT = Duration.seconds(300);

/**
 * The function's log group, named so that the incident key's policy can name it without a reference (the key
 * encrypts the group: a reference both ways would be a cycle).
 */
export const RESPONDER_LOG_GROUP_NAME = '/cryptominer-defense/central-responder';

/**
 * Creates the function's log group, so that its retention is set, the role can be scoped to it, and the logs
 * (which carry whole reports when one cannot be written) are encrypted with the incident key.
 */
export function responderLogGroup(scope: Construct, id: string, encryptionKey: IKey): ILogGroup {
  return new LogGroup(scope, id, {
    logGroupName: RESPONDER_LOG_GROUP_NAME,
    retention: RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
    encryptionKey,
  });
}

/**
 * The responder Lambda: packages/responder's handler, bundled locally by esbuild (no Docker; see
 * bundling/responderCode.ts), arm64, Node.js 24, fed by the findings queue one finding at a time, reporting
 * partial batch failures so that only a failed finding is retried.
 */
export class ResponderFunction extends Construct {
  readonly function: IFunction;

  constructor(scope: Construct, id: string, props: ResponderFunctionProps) {
    super(scope, id);
    const reservedConcurrency = props.reservedConcurrency ?? 5;
    const fn = new LambdaFunction(this, 'Function', {
      description: 'Cryptominer Auto Defense: contains a crypto-mining instance and freezes who launched it',
      code: responderCode(),
      handler: 'index.handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: RESPONDER_TIMEOUT,
      reservedConcurrentExecutions: reservedConcurrency,
      role: props.role,
      logGroup: props.logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
    });
    fn.addEventSource(
      new SqsEventSource(props.queue, {
        // One finding per invocation: each response gets the whole timeout.
        batchSize: 1,
        reportBatchItemFailures: true,
        maxConcurrency: reservedConcurrency,
      }),
    );
    this.function = fn;
  }
}
