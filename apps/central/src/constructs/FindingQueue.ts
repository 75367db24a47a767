import { Duration } from 'aws-cdk-lib';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface FindingQueueProps {
  /** The consumer's timeout: a message stays invisible for six times as long (Lambda's guidance for SQS sources). */
  readonly consumerTimeout: Duration;
  /** Receives before a message goes to the dead-letter queue. Default 3. */
  readonly maxReceiveCount?: number;
}

/**
 * The buffer between the EventBridge rule and the responder: findings survive a throttled or failing function,
 * and a finding that keeps failing ends in the dead-letter queue (alarmed) instead of being lost.
 */
export class FindingQueue extends Construct {
  readonly queue: IQueue;
  readonly deadLetterQueue: IQueue;

  constructor(scope: Construct, id: string, props: FindingQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 3 },
    });
  }
}
