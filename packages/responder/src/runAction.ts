import {
  awsErrorDetails,
  failed,
  type StepName,
  type StepRecord,
  type StepResult,
  toStepRecord,
} from '@cryptominer-defense/core/cold-start';

export interface ActionLocation {
  readonly step: StepName;
  readonly action?: string;
  readonly target?: string;
}

/**
 * Runs one action of a step and records its outcome with start and end time. An AWS error becomes a
 * `failed` record with its error code: one failed action never stops the others (the caller decides
 * what depends on it). The action returns its result and, optionally, a value for the caller.
 */
export async function runAction<T>(
  where: ActionLocation,
  action: () => Promise<{ readonly result: StepResult; readonly value: T }>,
  fallback: T,
  now: () => Date = () => new Date(),
): Promise<{ readonly record: StepRecord; readonly value: T }> {
  const startedAt = now();
  try {
    const { result, value } = await action();
    return { record: toStepRecord(where, result, startedAt, now()), value };
  } catch (error) {
    const { errorCode, errorMessage } = awsErrorDetails(error);
    return { record: toStepRecord(where, failed(errorCode, errorMessage), startedAt, now()), value: fallback };
  }
}

/** A record for something decided without calling AWS (a skip), stamped now. */
export function decidedRecord(
  where: ActionLocation,
  result: StepResult,
  now: () => Date = () => new Date(),
): StepRecord {
  const at = now();
  return toStepRecord(where, result, at, at);
}
