import { CREDENTIAL_ERROR_NAMES } from '../aws/profileSettings';

/** One row of `cli doctor`: what was checked, where, and on failure the error code and what to do. */
export interface CheckResult {
  /** What was checked, e.g. "responder role can be assumed". */
  readonly check: string;
  /** Where: a resource name, an account id, a region. */
  readonly target: string;
  readonly status: 'OK' | 'FAILED';
  /** On failure: the AWS error code, or doctor's own code for a gap it found (`NotFound`, `Mismatch`, …). */
  readonly errorCode?: string;
  /** On failure: the fix, in plain words. */
  readonly fix?: string;
}

/** A gap doctor found itself (a rule without the expected target, a variable that does not parse, …). */
export class DeploymentGap extends Error {
  override readonly name = 'DeploymentGap';

  constructor(
    readonly code: string,
    /** What is wrong and the fix, in plain words. */
    readonly fix: string,
  ) {
    super(fix);
  }
}

/** The AWS error code of a failed call (the SDK's error name), or doctor's code for a gap. */
export function errorCodeOf(error: unknown): string {
  if (error instanceof DeploymentGap) return error.code;
  return error instanceof Error ? error.name : 'Error';
}

/**
 * Runs one read-only probe and turns its outcome into a row: OK when it resolves; FAILED with the error code and
 * the fix when it throws (a DeploymentGap carries its own fix; an AWS error gets `fixFor(code, error)`).
 */
export async function runCheck(
  check: string,
  target: string,
  probe: () => Promise<unknown>,
  fixFor: (code: string, error: unknown) => string,
): Promise<CheckResult> {
  try {
    await probe();
    return { check, target, status: 'OK' };
  } catch (error) {
    const errorCode = errorCodeOf(error);
    const fix = error instanceof DeploymentGap ? error.fix : fixFor(errorCode, error);
    return { check, target, status: 'FAILED', errorCode, fix };
  }
}

/** What a row needs from another: its value, or a DeploymentGap pointing at that row when it failed. */
export async function needs<T>(dependency: Promise<T>, rowName: string): Promise<T> {
  try {
    return await dependency;
  } catch {
    throw new DeploymentGap('NotChecked', `Needs the row "${rowName}": fix that first.`);
  }
}

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Forbidden']);

const NO_CREDENTIALS = new Set([...CREDENTIAL_ERROR_NAMES, 'InvalidClientTokenId']);

/** The usual fix for a refused read (the credentials doctor runs with need the action), else `otherwise`. */
export function accessOr(code: string, action: string, otherwise: string): string {
  if (NO_CREDENTIALS.has(code)) {
    return 'Configure valid AWS credentials of the central account (AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).';
  }
  return ACCESS_DENIED.has(code)
    ? `The credentials doctor runs with may not call ${action}: run it with a role of the central account that may (read-only).`
    : otherwise;
}
