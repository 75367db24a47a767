import * as z from 'zod';
import { LINKED_INSTANCE_ACTIONS } from './followActor';

/**
 * The report's `linkedInstances` (schema 2.5): the instances the attributed person launched in any enabled region of
 * the account that were still pending or running, and what the response did with each (`contain`: answered as the
 * linked incident `<findingId>/linked/<instanceId>`, its own report; listed in observe mode; left beyond the maximum; answered by the incident of its own finding, which holds it already).
 */
export const linkedInstancesRecord = z.array(
  z.object({
    instanceId: z.string(),
    region: z.string(),
    launchedAt: z.string().nullable(),
    state: z.string(),
    action: z.enum(LINKED_INSTANCE_ACTIONS),
    /** The finding whose incident holds the instance already (its incident tag); null or absent: none. */
    answeredBy: z.string().nullable().optional(),
  }),
);
