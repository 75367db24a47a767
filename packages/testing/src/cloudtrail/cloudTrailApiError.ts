import { TestingError } from '../errors';

/**
 * An error the CloudTrail fake answers with, in the JSON 1.1 protocol's shape (`__type` plus message), so that
 * the SDK raises the same exception class as against CloudTrail.
 */
export class CloudTrailApiError extends TestingError {
  override readonly name: string = 'CloudTrailApiError';
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}
