import { Duration } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
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
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

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

  /**
   * A finding on the queue makes the responder act in a member account: nobody but the given EventBridge rules may
   * put one there (nor on the dead-letter queue, which the rules' targets also use), whatever their IAM policies
   * allow. A principal calling SendMessage itself carries no aws:SourceArn, so it is refused.
   */
  acceptOnlyFromRules(ruleArns: string[]): void {
    for (const queue of [this.queue, this.deadLetterQueue]) {
      queue.addToResourcePolicy(
        new PolicyStatement({
          sid: 'OnlyTheFindingRulesSendMessages',
          effect: Effect.DENY,
          principals: [new AnyPrincipal()],
          actions: ['sqs:SendMessage'],
          resources: [queue.queueArn],
          conditions: { ArnNotEquals: { 'aws:SourceArn': ruleArns } },
        }),
      );
    }
  }
}
