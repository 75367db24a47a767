import type * as z from 'zod';
import type { StepName } from './registry/stepQueries';
import type { stepRecordSchema } from './stepRecordSchema';

export type StepRecord = z.infer<typeof stepRecordSchema>;
export type StepStatus = StepRecord['status'];

/** A step's result without its bookkeeping (name, target, times), as the step itself returns it. */
export type StepResult =
  | { readonly status: 'succeeded' }
  | { readonly status: 'already-done'; readonly reason?: string }
  | { readonly status: 'skipped'; readonly reason: string; readonly wouldDo?: string }
  | { readonly status: 'failed'; readonly errorCode: string; readonly errorMessage: string };

export const succeeded: StepResult = { status: 'succeeded' };

export function alreadyDone(reason?: string): StepResult {
  return reason === undefined ? { status: 'already-done' } : { status: 'already-done', reason };
}

export function skipped(reason: string): StepResult {
  return { status: 'skipped', reason };
}

/** Held back by the response mode: nothing done, and the report says what would have been. */
export function heldBack(mode: string, wouldDo: string): StepResult {
  const reason = mode === 'approval' ? 'approval mode: waits for a person (cli approve)' : `${mode} mode: not done`;
  return { status: 'skipped', reason, wouldDo };
}

export function failed(errorCode: string, errorMessage: string): StepResult {
  return { status: 'failed', errorCode, errorMessage };
}

/** Succeeded, or the state was already right: the effect the step wanted is in place. */
export function isEffective(record: { readonly status: StepStatus }): boolean {
  return record.status === 'succeeded' || record.status === 'already-done';
}

/**
 * Actions a step tries first and falls back from when they fail. `stopInstance` hibernates an instance launched
 * with hibernation and, if hibernating fails, stops it plainly: the failed attempt stays a `failed` record (with
 * its AWS error, so it reaches every reader of failures), but what the step is for (a stopped instance) is then
 * up to the record of the fallback that follows it.
 */
export const ATTEMPTS_WITH_FALLBACK = {
  stopInstance: {
    action: 'hibernate',
    fallback: 'the instance was stopped without hibernation (its memory was not kept)',
  },
  isolateNetworkInterfaces: {
    action: 'moveToIsolationGroup',
    fallback: 'the all-open group the ENI was on lost its rules instead (closeConnectionCutGroup): the ENI is cut off',
  },
} as const satisfies { readonly [step in StepName]?: { readonly action: string; readonly fallback: string } };

/**
 * Records that tell a person something the step found on its way without being part of what it did: a group of
 * the tool's name that was not used (someone else's, or altered), the next name used instead; a person's CloudTrail
 * history longer than the follow reads.
 */
export const NOTICE_ACTIONS = {
  isolateNetworkInterfaces: 'passOverGroup',
  // The follow read the pages it may: older launches of the person were not searched (decision 0023).
  followActor: 'olderLaunchesNotSearched',
} as const satisfies {
  readonly [step in StepName]?: string;
};

export function isNotice(record: StepRecord): boolean {
  const notice: string | undefined = NOTICE_ACTIONS[record.step as keyof typeof NOTICE_ACTIONS];
  return notice !== undefined && record.action === notice && record.status === 'skipped';
}

/**
 * Whether the isolation left an ENI possibly open: an isolation action failed with no fallback that took its
 * place (a failed move off the all-open group whose group was then closed is not). The handler fails the
 * invocation then, so that SQS delivers the finding again and the step, not done, is tried again.
 */
export function isolationLeftUndone(records: readonly StepRecord[]): boolean {
  return records.some(
    (record) => record.step === 'isolateNetworkInterfaces' && record.status === 'failed' && fallbackOf(record) === null,
  );
}

/** What the step did instead, when the record is a failed attempt its step fell back from; null otherwise. */
export function fallbackOf(record: StepRecord): string | null {
  if (record.status !== 'failed' || record.action === undefined) return null;
  const attempt: { readonly action: string; readonly fallback: string } | undefined =
    ATTEMPTS_WITH_FALLBACK[record.step as keyof typeof ATTEMPTS_WITH_FALLBACK];
  return attempt?.action === record.action ? attempt.fallback : null;
}

/**
 * True only when the step ran at least one action and every action took effect. A failed attempt the step fell
 * back from (hibernate, then a plain stop) does not count against it: the fallback's own record, which must be
 * there and have taken effect, does.
 */
export function stepTookEffect(records: readonly StepRecord[]): boolean {
  const behindTheStep = records.filter((record) => fallbackOf(record) === null && !isNotice(record));
  return behindTheStep.length > 0 && behindTheStep.every(isEffective);
}

export function toStepRecord(
  where: { readonly step: StepName; readonly action?: string; readonly target?: string },
  result: StepResult,
  startedAt: Date,
  endedAt: Date,
): StepRecord {
  const times = { startedAt: startedAt.toISOString(), endedAt: endedAt.toISOString() };
  const location = {
    step: where.step,
    ...(where.action === undefined ? {} : { action: where.action }),
    ...(where.target === undefined ? {} : { target: where.target }),
  };
  return { ...location, ...times, ...result };
}
