// The step record's schema (zod): a module of its own, apart from stepOutcome.ts's outcomes, which every step uses
// (a Lambda cold start among them), so that they do not build the schema.
import * as z from 'zod';
import { STEP_NAMES, type StepName } from './registry/stepQueries';

const timestamp = z.iso.datetime({ offset: true });

const stepRecordBase = z.object({
  /** The step of the registry (responseSteps.ts) this record belongs to. */
  step: z.enum(STEP_NAMES as [StepName, ...StepName[]]),
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
    /** Set when the response mode (observe / contain / approval) held the step back: what it would have done. */
    wouldDo: z.string().optional(),
  }),
  stepRecordBase.extend({ status: z.literal('failed'), errorCode: z.string().min(1), errorMessage: z.string() }),
]);
