import { InvalidFindingEventError, parseGuardDutyFindingEventJson } from '@cryptominer-defense/core';
import { createResponder, type ResponderOptions } from './createResponder';
import { ReportWriteError } from './errors';

/** What the handler answers: a summary for a bare event, the failed record ids for an SQS batch. */
export type LambdaResult =
  | { readonly ignored: string }
  | { readonly reportKey: string; readonly manualInterventionRequired: boolean }
  | { readonly batchItemFailures: { readonly itemIdentifier: string }[] };

interface SqsRecord {
  readonly messageId: string;
  readonly body: string;
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
 * The Lambda handler: accepts a bare EventBridge GuardDuty event, or an SQS batch of them (a queue between
 * the rule and the function). For a batch, records whose report could not be written are returned in
 * `batchItemFailures`, so SQS redelivers only those; records that are not GuardDuty events are logged and
 * dropped (redelivering them cannot help). Configuration is read once, when the handler is created.
 */
export function createLambdaHandler(options: ResponderOptions): (event: unknown) => Promise<LambdaResult> {
  const responder = createResponder(options);
  const { logger } = options;

  async function handleOne(event: unknown): Promise<LambdaResult> {
    const handled = await responder.handle(event);
    if (handled.kind === 'ignored') return { ignored: handled.reason };
    return { reportKey: handled.key, manualInterventionRequired: handled.report.response.manualInterventionRequired };
  }

  return async (event: unknown) => {
    if (!isSqsBatch(event)) {
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
