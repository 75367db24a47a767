import * as z from 'zod';
import { STEPS_AWAITING_APPROVAL, type StepAwaitingApproval } from './registry/stepQueries';

/** A step approval mode held back for a person: what `cli approve` would run, on what. */
const pendingStep = z.object({
  step: z.enum(STEPS_AWAITING_APPROVAL as [StepAwaitingApproval, ...StepAwaitingApproval[]]),
  target: z.string(),
  wouldDo: z.string(),
});

/** The report's `approval` section (schema 2.4): in approval mode, what waits for `cli approve`. */
export const approvalPendingSchema = z.object({ status: z.literal('pending'), pendingSteps: z.array(pendingStep) });

export type ApprovalPending = z.infer<typeof approvalPendingSchema>;
export type PendingStep = z.infer<typeof pendingStep>;
