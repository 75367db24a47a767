import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
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
  readonly ALERT_TOPIC_ARN: string;
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

/** Creates the function's log group, so that its retention is set and the role can be scoped to it. */
export function responderLogGroup(scope: Construct, id: string): ILogGroup {
  return new LogGroup(scope, id, { retention: RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
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
