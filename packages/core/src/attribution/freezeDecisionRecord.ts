import * as z from 'zod';
import { FREEZE_DECISION_KINDS } from './whomToFreeze';

/** The report's `freezeDecision` (schema 2.4): whom the response froze and why, what launched the instance. */
export const freezeDecisionRecord = z.object({
  kind: z.enum(FREEZE_DECISION_KINDS),
  reason: z.string(),
  /** What launched the instance: "a direct RunInstances call", "the CloudFormation stack arn:…", … */
  launchedBy: z.string(),
  linkedInstanceId: z.string().nullable(),
});
