import * as z from 'zod';
import { CENTRAL_ACCOUNT_STEPS, MEMBER_ACCOUNT_STEPS, type StepName } from './responseSteps';

const STEP_NAMES = [...Object.keys(MEMBER_ACCOUNT_STEPS), ...Object.keys(CENTRAL_ACCOUNT_STEPS)] as [
  StepName,
  ...StepName[],
];

const timestamp = z.iso.datetime({ offset: true });

const stepRecordBase = z.object({
  /** The step of the registry (responseSteps.ts) this record belongs to. */
  step: z.enum(STEP_NAMES),
  /** The part of the step, when a step does several things (`deactivateAccessKey`). */
  action: z.string().optional(),
  /** What it acted on (an ENI id, a group name, a user ARN). */
  target: z.string().optional(),
  startedAt: timestamp,
  endedAt: timestamp,
});

/**
 * The outcome of one action of one step. Four answers, never a bare boolean:
 * succeeded, already-done (the state was already what the step wants), skipped (with why), failed (with
 * the AWS error code and message).
 */
export const stepRecordSchema = z.discriminatedUnion('status', [
  stepRecordBase.extend({ status: z.literal('succeeded') }),
  stepRecordBase.extend({ status: z.literal('already-done'), reason: z.string().optional() }),
  stepRecordBase.extend({
    status: z.literal('skipped'),
    reason: z.string().min(1),
    /** Set when the response mode (observe / contain) held the step back: what it would have done. */
    wouldDo: z.string().optional(),
  }),
  stepRecordBase.extend({ status: z.literal('failed'), errorCode: z.string().min(1), errorMessage: z.string() }),
]);

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
  return { status: 'skipped', reason: `${mode} mode: not done`, wouldDo };
}

export function failed(errorCode: string, errorMessage: string): StepResult {
  return { status: 'failed', errorCode, errorMessage };
}

/** Succeeded, or the state was already right: the effect the step wanted is in place. */
export function isEffective(record: { readonly status: StepStatus }): boolean {
  return record.status === 'succeeded' || record.status === 'already-done';
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
