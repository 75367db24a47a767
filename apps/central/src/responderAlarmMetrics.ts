import {
  FAILED_CONTAINMENT_STEPS_METRIC,
  REJECTED_EVENTS_METRIC,
  RESPONDER_METRICS_NAMESPACE,
} from '@cryptominer-defense/core';

/** What an alarm of the central stack watches; `dimension` names the resource whose name is the dimension's value. */
export interface AlarmedMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimension?: { readonly name: string; readonly of: 'deadLetterQueue' | 'responderFunction' };
}

/**
 * The central stack's four alarms (ResponderAlarms), by the metric each watches. No CDK import: `cli doctor` finds
 * the deployed alarms by these metrics (CloudWatch DescribeAlarmsForMetric), whatever names CloudFormation gave them.
 */
export const RESPONDER_ALARMED_METRICS = {
  findingsInDeadLetterQueue: {
    namespace: 'AWS/SQS',
    metricName: 'ApproximateNumberOfMessagesVisible',
    dimension: { name: 'QueueName', of: 'deadLetterQueue' },
  },
  responderErrors: {
    namespace: 'AWS/Lambda',
    metricName: 'Errors',
    dimension: { name: 'FunctionName', of: 'responderFunction' },
  },
  failedContainmentSteps: { namespace: RESPONDER_METRICS_NAMESPACE, metricName: FAILED_CONTAINMENT_STEPS_METRIC },
  rejectedEvents: { namespace: RESPONDER_METRICS_NAMESPACE, metricName: REJECTED_EVENTS_METRIC },
} as const satisfies Record<string, AlarmedMetric>;

/** The forwarder stack's alarm: the same backlog metric, on the dead-letter queue of its rule's target. */
export const UNDELIVERED_FINDINGS_METRIC = RESPONDER_ALARMED_METRICS.findingsInDeadLetterQueue;
