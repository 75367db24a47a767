import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface ResponderAlarmsProps {
  readonly function: IFunction;
  readonly deadLetterQueue: IQueue;
  readonly topic: ITopic;
}

/**
 * A finding in the dead-letter queue, or a failed invocation, means an instance may still be mining: a person
 * must look. Both alarm on the first occurrence.
 */
export class ResponderAlarms extends Construct {
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: ResponderAlarmsProps) {
    super(scope, id);
    const deadLetters = new Alarm(this, 'FindingsInDeadLetterQueue', {
      alarmDescription: 'A crypto-mining finding could not be handled and waits in the dead-letter queue',
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const errors = new Alarm(this, 'ResponderErrors', {
      alarmDescription: 'The responder function failed (a report could not be written, or it crashed)',
      metric: props.function.metricErrors({ period: Duration.minutes(1), statistic: 'Sum' }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.alarms = [deadLetters, errors];
    for (const alarm of this.alarms) alarm.addAlarmAction(new SnsAction(props.topic));
  }
}
