import { HarnessSetupError } from '../errors';

/** The emulator's answers are typed as optional: fail loudly, naming what was missing, instead of asserting. */
export function requireValue<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) {
    throw new HarnessSetupError(`The emulator returned no ${what}.`);
  }
  return value;
}
