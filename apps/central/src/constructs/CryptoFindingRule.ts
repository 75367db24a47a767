import { cryptoMiningEventPattern } from '@cryptominer-defense/core';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface CryptoFindingRuleProps {
  /** Default: the account's default bus, where GuardDuty delivers the findings of its region. */
  readonly eventBus?: IEventBus;
  readonly queue: IQueue;
  /** Where EventBridge puts an event it could not deliver to the queue. */
  readonly deadLetterQueue: IQueue;
  readonly description: string;
}

/** A rule matching every crypto-mining finding on an EC2 instance (core's pattern), into the findings queue. */
export class CryptoFindingRule extends Construct {
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: CryptoFindingRuleProps) {
    super(scope, id);
    this.rule = new Rule(this, 'Rule', {
      description: props.description,
      ...(props.eventBus ? { eventBus: props.eventBus } : {}),
      eventPattern: cryptoMiningEventPattern(),
      targets: [new SqsQueue(props.queue, { deadLetterQueue: props.deadLetterQueue })],
    });
  }
}
