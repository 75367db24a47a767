import type { ResponderWorld } from './responderWorld';

/** The member-account calls that change something, every one of them (not deduplicated), in order. */
export function memberWrites(world: ResponderWorld, accountId: string): string[] {
  return world.recorder.calls
    .filter((call) => call.accountId === accountId)
    .map((call) => call.action)
    .filter((action) => !/:(Describe|List|Get|Lookup)/.test(action));
}
