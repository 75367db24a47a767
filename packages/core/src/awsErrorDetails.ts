// Reads errors the AWS SDK throws by their shape only (name, Code, code): no SDK import, so it belongs in core
// and both programs that call AWS (responder, release) record errors the same way.

/** The AWS error code and message of a failed call, in the form the report records. */
export interface AwsErrorDetails {
  readonly errorCode: string;
  readonly errorMessage: string;
}

/**
 * Reads the error code of an SDK v3 error (`name`, or `Code` on some query-protocol errors), keeping
 * unexpected throwables readable instead of losing them.
 */
export function awsErrorDetails(error: unknown): AwsErrorDetails {
  if (error instanceof Error) {
    if ('Code' in error && typeof error.Code === 'string' && error.Code !== '') {
      return { errorCode: error.Code, errorMessage: error.message };
    }
    // A network failure is a plain Error with a Node.js code (ECONNREFUSED, ETIMEDOUT): that code says more.
    if (error.name === 'Error' && 'code' in error && typeof error.code === 'string' && error.code !== '') {
      return { errorCode: error.code, errorMessage: error.message };
    }
    return { errorCode: error.name === '' ? 'Error' : error.name, errorMessage: error.message };
  }
  return { errorCode: 'Error', errorMessage: String(error) };
}

/** True when the error is the given AWS error code. */
export function isAwsError(error: unknown, ...codes: string[]): boolean {
  return codes.includes(awsErrorDetails(error).errorCode);
}
