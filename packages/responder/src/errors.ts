import type { IncidentReport } from '@cryptominer-defense/core';

/** The base of every error the responder throws: catch this to catch them all. */
export class ResponderError extends Error {
  override readonly name: string = 'ResponderError';
}

/** The incident report could not be stored: the only failure that fails an invocation (so it is retried). */
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

/** An existing group with the isolation group's name has inbound rules: using it would not isolate anything. */
export class IsolationGroupNotEmptyError extends ResponderError {
  override readonly name: string = 'IsolationGroupNotEmptyError';
}
