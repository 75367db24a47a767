/**
 * An error the fake answers with, in the JSON 1.1 protocol's shape (`__type` plus message), so that the SDK
 * raises the same exception class as against CloudTrail.
 */
export class CloudTrailFault extends Error {
  override readonly name = 'CloudTrailFault';
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}
