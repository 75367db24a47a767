import type { IncidentReport } from '@cryptominer-defense/core';

/** The base of every error the responder throws: catch this to catch them all. */
export class ResponderError extends Error {
  override readonly name: string = 'ResponderError';
}

/** The incident report could not be stored: the invocation fails (so it is retried). */
export class ReportWriteError extends ResponderError {
  override readonly name: string = 'ReportWriteError';

  constructor(
    readonly bucket: string,
    readonly key: string,
    /** The report that could not be stored: the response happened, so it must not be lost (log it). */
    readonly report: IncidentReport,
    options: ErrorOptions & { cause: unknown },
  ) {
    const { code, message } = describeCause(options.cause);
    super(`Could not write the incident report to s3://${bucket}/${key}: ${code}: ${message}`, options);
  }
}

function describeCause(cause: unknown): { code: string; message: string } {
  if (cause instanceof Error) return { code: cause.name, message: cause.message };
  return { code: 'Error', message: String(cause) };
}

/**
 * The response left an ENI possibly open (an isolation action failed with no fallback in its place). The report is
 * stored; the invocation fails so that SQS delivers the finding again and the isolation, not done, is tried again
 * (after the queue's receive count, the dead-letter queue and its alarm take it to a person).
 */
export class IsolationLeftUndoneError extends ResponderError {
  override readonly name: string = 'IsolationLeftUndoneError';

  constructor(readonly reportKey: string) {
    super(
      `Network isolation was left undone (see the failed isolateNetworkInterfaces records of s3 key ${reportKey}); the finding will be delivered again.`,
    );
  }
}
