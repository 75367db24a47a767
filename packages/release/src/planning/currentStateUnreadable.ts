import { awsErrorDetails } from '@cryptominer-defense/core';

/** Why a change is skipped when reading the account's current state failed: release acts only on what it has read. */
export function currentStateUnreadable(error: unknown): string {
  return `could not read the current state (${awsErrorDetails(error).errorCode})`;
}
