import { RESPONDER_METRICS_NAMESPACE } from '@cryptominer-defense/core/cold-start';
import type { ResponderLogger } from './responderLogger';

/**
 * Writes a count as a CloudWatch embedded metric format (EMF) log line: CloudWatch Logs extracts the metric from
 * the function's log group, so counting needs no API call and no permission. The line is an ordinary log entry
 * too (`message`, the count and what the caller adds).
 */
export function logMetric(
  logger: ResponderLogger,
  name: string,
  count: number,
  message: string,
  attributes: Record<string, unknown> = {},
): void {
  logger.info(message, {
    ...attributes,
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        { Namespace: RESPONDER_METRICS_NAMESPACE, Dimensions: [[]], Metrics: [{ Name: name, Unit: 'Count' }] },
      ],
    },
    [name]: count,
  });
}
