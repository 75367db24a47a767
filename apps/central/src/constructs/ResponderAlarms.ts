import {
  FAILED_CONTAINMENT_STEPS_METRIC,
  REJECTED_EVENTS_METRIC,
  RESPONDER_METRICS_NAMESPACE,
} from '@cryptominer-defense/core';
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
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
 * A finding in the dead-letter queue, a failed invocation or a failed containment step means an instance may still
 * be mining; a refused event may be a forgery: a person must look. Each alarms on the first occurrence.
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
    // The responder's own counts (EMF lines in its log group, responderMetrics.ts in packages/responder).
    const responderMetric = (metricName: string) =>
      new Metric({
        namespace: RESPONDER_METRICS_NAMESPACE,
        metricName,
        period: Duration.minutes(1),
        statistic: 'Sum',
      });
    const failedSteps = new Alarm(this, 'FailedContainmentSteps', {
      alarmDescription:
        'A containment step failed: an instance may still be reachable or an identity not frozen (see the report)',
      metric: responderMetric(FAILED_CONTAINMENT_STEPS_METRIC),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const rejected = new Alarm(this, 'RejectedEvents', {
      alarmDescription:
        'The responder refused an event: not from its queue, a direct invocation, or a finding of another partition (forged or misrouted)',
      metric: responderMetric(REJECTED_EVENTS_METRIC),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.alarms = [deadLetters, errors, failedSteps, rejected];
    for (const alarm of this.alarms) alarm.addAlarmAction(new SnsAction(props.topic));
  }
}
