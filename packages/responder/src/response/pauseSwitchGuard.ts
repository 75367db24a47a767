import {
  PAUSE_SWITCH_KEY,
  type PauseSwitchReading,
  pausedModeDecision,
  type ResponseModeDecision,
  type StepRecord,
  succeeded,
} from '@cryptominer-defense/core/cold-start';
import { runAction } from '../runAction';
import type { GuardRead } from './guardReads';
import type { ResponseEngineDependencies } from './responseTypes';

/** The pause switch read at admission, beside the other guard reads; null when the engine was given no switch. */
export function startPauseSwitchRead(
  dependencies: ResponseEngineDependencies,
  now: () => Date,
): GuardRead<PauseSwitchReading> | null {
  const { pauseSwitch } = dependencies;
  if (pauseSwitch === undefined) return null;
  return runAction<PauseSwitchReading | null>(
    { step: 'readPauseSwitch', target: `s3://${dependencies.configuration.reportBucket}/${PAUSE_SWITCH_KEY}` },
    async () => ({ result: succeeded, value: await pauseSwitch() }),
    null,
    now,
  );
}

/** The mode the switch forces (observe: paused, or unreadable), or null when the response policy decides. */
export async function pausedMode(read: GuardRead<PauseSwitchReading> | null): Promise<ResponseModeDecision | null> {
  if (read === null) return null;
  const { record, value } = await read;
  return pausedModeDecision(value, record.status === 'failed' ? record : null);
}

/** The switch's record, for the report when it decided something (paused, or unreadable); none otherwise. */
export async function pauseSwitchRecords(read: GuardRead<PauseSwitchReading> | null): Promise<StepRecord[]> {
  if (read === null) return [];
  const { record } = await read;
  return (await pausedMode(read)) === null ? [] : [record];
}
