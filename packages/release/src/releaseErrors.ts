/** The base of every error release throws: a report that cannot be found, read or released; the message says what to do. */
export class ReleaseError extends Error {
  override readonly name: string = 'ReleaseError';
}

/** The object at a key is not an incident report this version understands. */
export class NotAnIncidentReportError extends ReleaseError {
  override readonly name: string = 'NotAnIncidentReportError';
}
