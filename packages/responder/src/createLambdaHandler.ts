import {
  InvalidFindingEventError,
  isolationLeftUndone,
  parseGuardDutyFindingEventJson,
  parseInvocationSources,
  REJECTED_EVENTS_METRIC,
} from '@cryptominer-defense/core/cold-start';
import { createResponder, type ResponderOptions } from './createResponder';
import { IsolationLeftUndoneError, ReportWriteError } from './errors';
import { logMetric } from './responderMetrics';

/** What the handler answers: a summary for a bare event, the failed record ids for an SQS batch. */
export type LambdaResult =
  | { readonly ignored: string }
  | { readonly rejected: string }
  | { readonly reportKey: string; readonly manualInterventionRequired: boolean }
  | { readonly batchItemFailures: { readonly itemIdentifier: string }[] };

interface SqsRecord {
  readonly messageId: string;
  readonly body: string;
  readonly eventSourceARN?: string;
}

function isSqsBatch(event: unknown): event is { readonly Records: readonly SqsRecord[] } {
  if (typeof event !== 'object' || event === null || !('Records' in event) || !Array.isArray(event.Records))
    return false;
  return event.Records.every(
    (record: unknown) =>
      typeof record === 'object' &&
      record !== null &&
      'eventSource' in record &&
      record.eventSource === 'aws:sqs' &&
      'messageId' in record &&
      typeof record.messageId === 'string' &&
      'body' in record &&
      typeof record.body === 'string',
  );
}

/**
 * The Lambda handler: accepts SQS batches of EventBridge GuardDuty events from its own queue
 * (`FINDING_QUEUE_ARN`, compared with each record's `eventSourceARN`), and a bare event only where
 * `ALLOW_DIRECT_INVOCATION=true` says a test harness hands events directly: `lambda:InvokeFunction` alone must
 * not make the responder act. A rejected event or record is logged and counted (the `RejectedEvents` metric),
 * changes nothing and is not redelivered. For a batch, records whose report could not be written are returned in
 * `batchItemFailures`, so SQS redelivers only those, and so are records whose response left an ENI possibly open
 * (IsolationLeftUndoneError: the report is stored, the isolation is tried again on the next delivery); records that are not GuardDuty events are logged and
 * dropped (redelivering them cannot help). Configuration is read once, when the handler is created.
 */
export function createLambdaHandler(options: ResponderOptions): (event: unknown) => Promise<LambdaResult> {
  const responder = createResponder(options);
  const sources = parseInvocationSources(options.env);
  const { logger } = options;

  function reject(reason: string, attributes: Record<string, unknown> = {}): void {
    logMetric(logger, REJECTED_EVENTS_METRIC, 1, `Rejected: ${reason}; nothing was done`, attributes);
  }

  /** Why a record of a batch is not from the function's own queue, or null when it is. */
  function foreignRecordReason(record: SqsRecord): string | null {
    if (sources.findingQueueArn === null) return null; // ALLOW_DIRECT_INVOCATION without a queue: a harness.
    if (record.eventSourceARN === sources.findingQueueArn) return null;
    return `an SQS record from ${record.eventSourceARN ?? 'no queue'}, not from the findings queue ${sources.findingQueueArn}`;
  }

  async function handleOne(event: unknown): Promise<LambdaResult> {
    const handled = await responder.handle(event);
    if (handled.kind === 'ignored') return { ignored: handled.reason };
    // An attack sequence's instances too: one left possibly open makes the platform deliver the sequence again.
    for (const answered of [handled, ...(handled.derived ?? [])]) {
      if (answered.kind === 'reported' && isolationLeftUndone(answered.report.steps)) {
        throw new IsolationLeftUndoneError(answered.key);
      }
    }
    return { reportKey: handled.key, manualInterventionRequired: handled.report.response.manualInterventionRequired };
  }

  return async (event: unknown) => {
    if (!isSqsBatch(event)) {
      if (!sources.allowDirectInvocation) {
        const reason = 'an event that is not an SQS batch of the findings queue (direct invocation is not allowed)';
        reject(reason);
        return { rejected: reason };
      }
      try {
        return await handleOne(event);
      } catch (error) {
        if (error instanceof ReportWriteError) {
          logger.error('Could not write the incident report; the invocation fails so it is retried', {
            error: error.message,
            unwrittenReport: error.report,
          });
        }
        throw error;
      }
    }
    const batchItemFailures: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      const foreign = foreignRecordReason(record);
      if (foreign !== null) {
        reject(foreign, { messageId: record.messageId });
        continue;
      }
      try {
        await handleOne(parseGuardDutyFindingEventJson(record.body));
      } catch (error) {
        if (error instanceof InvalidFindingEventError) {
          logger.error('Dropped an SQS message that is not a GuardDuty finding event', {
            messageId: record.messageId,
            error: error.message,
          });
          continue;
        }
        logger.error('Could not handle an SQS message; it will be retried', {
          messageId: record.messageId,
          error: error instanceof Error ? error.message : String(error),
          // The response already happened: keep its report in the logs until a retry stores it.
          ...(error instanceof ReportWriteError ? { unwrittenReport: error.report } : {}),
        });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}
