import { CoreError } from './errors';
import { FINDING_STATE_PREFIX } from './findingStateKeys';
import { firstSchemaIssue } from './firstSchemaIssue';
import type { ResponseModeDecision } from './responsePolicy';
import * as z from './zodMini';

/**
 * The pause switch (issue 16, docs/decisions/0018): one object in the report bucket that puts every response in
 * `observe` at once. Beside the findings' state, outside `incidents/` (Athena never reads it); a finding's state
 * always sits one folder deeper (`responder-state/<findingId>/…`), so no finding id can reach this key.
 */
export const PAUSE_SWITCH_KEY = `${FINDING_STATE_PREFIX}pause.json`;

export const pauseSwitchSchema = z.strictObject({
  paused: z.boolean(),
  /** Why it was flipped, in the operator's words (may be empty). */
  reason: z.string().check(z.maxLength(1000)),
  /** Who flipped it: the caller ARN STS GetCallerIdentity gave `cli pause` / `cli resume`. */
  by: z.string().check(z.minLength(1), z.maxLength(2048)),
  at: z.iso.datetime({ offset: true }),
});

export type PauseSwitch = z.infer<typeof pauseSwitchSchema>;

/** What the responder read: the switch, or null when there is none (never flipped: not paused). */
export interface PauseSwitchReading {
  readonly pauseSwitch: PauseSwitch | null;
}

/** The object is there but is not a pause switch this version understands: the responder cannot know. */
export class MalformedPauseSwitchError extends CoreError {
  override readonly name: string = 'MalformedPauseSwitch';
}

/** Parses the object's text; throws MalformedPauseSwitchError naming the problem. */
export function parsePauseSwitch(text: string): PauseSwitch {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MalformedPauseSwitchError(`${PAUSE_SWITCH_KEY} is not JSON: rewrite it with cli pause or cli resume`, {
      cause: error,
    });
  }
  const parsed = pauseSwitchSchema.safeParse(json);
  if (!parsed.success) {
    throw new MalformedPauseSwitchError(
      `${PAUSE_SWITCH_KEY} is not a pause switch: ${firstSchemaIssue(parsed.error, '(object)')}; rewrite it with cli pause or cli resume`,
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

/**
 * The mode the pause switch forces, or null when it forces none. A switch that could not be read (`reading` null,
 * with the error code of the failed read) forces `observe` too: the responder cannot know that it may act.
 */
export function pausedModeDecision(
  reading: PauseSwitchReading | null,
  failure: { readonly errorCode: string } | null,
): ResponseModeDecision | null {
  if (reading === null) {
    const code = failure?.errorCode ?? 'unknown error';
    return {
      mode: 'observe',
      reason: `the pause switch (${PAUSE_SWITCH_KEY}) could not be read (${code}): observe, since the responder cannot know whether it is paused`,
    };
  }
  const { pauseSwitch } = reading;
  if (pauseSwitch === null || !pauseSwitch.paused) return null;
  const why = pauseSwitch.reason === '' ? 'no reason given' : pauseSwitch.reason;
  return { mode: 'observe', reason: `paused by ${pauseSwitch.by} at ${pauseSwitch.at}: ${why}` };
}
