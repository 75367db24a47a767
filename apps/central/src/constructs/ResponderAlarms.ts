import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type AlarmedMetric, RESPONDER_ALARMED_METRICS } from '../responderAlarmMetrics';

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
    const dimensionValues = {
      deadLetterQueue: props.deadLetterQueue.queueName,
      responderFunction: props.function.functionName,
    };
    // The SQS metric is a gauge (the largest backlog in the minute); the others are counts.
    const metricOf = ({ namespace, metricName, dimension }: AlarmedMetric, statistic: 'Maximum' | 'Sum') =>
      new Metric({
        namespace,
        metricName,
        ...(dimension === undefined ? {} : { dimensionsMap: { [dimension.name]: dimensionValues[dimension.of] } }),
        period: Duration.minutes(1),
        statistic,
      });
    const alarmOn = (alarmId: string, alarmDescription: string, metric: Metric) =>
      new Alarm(this, alarmId, {
        alarmDescription,
        metric,
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    const metrics = RESPONDER_ALARMED_METRICS;
    // The last two are the responder's own counts (EMF lines in its log group, responderMetrics.ts in packages/responder).
    const alarmed: [id: string, description: string, metric: Metric][] = [
      [
        'FindingsInDeadLetterQueue',
        'A crypto-mining finding could not be handled and waits in the dead-letter queue',
        metricOf(metrics.findingsInDeadLetterQueue, 'Maximum'),
      ],
      [
        'ResponderErrors',
        'The responder function failed (a report could not be written, or it crashed)',
        metricOf(metrics.responderErrors, 'Sum'),
      ],
      [
        'FailedContainmentSteps',
        'A containment step failed: an instance may still be reachable or an identity not frozen (see the report)',
        metricOf(metrics.failedContainmentSteps, 'Sum'),
      ],
      [
        'RejectedEvents',
        'The responder refused an event: not from its queue, a direct invocation, or a finding of another partition (forged or misrouted)',
        metricOf(metrics.rejectedEvents, 'Sum'),
      ],
    ];
    this.alarms = alarmed.map(([alarmId, description, metric]) => alarmOn(alarmId, description, metric));
    for (const alarm of this.alarms) alarm.addAlarmAction(new SnsAction(props.topic));
  }
}
