import type { FindingHandled } from '../../src/createResponder';

/** The handled finding as a report: anything else fails the test with what was handled instead. */
export function reported(handled: FindingHandled): Extract<FindingHandled, { kind: 'reported' }> {
  if (handled.kind !== 'reported') throw new Error(`expected a report, got: ${JSON.stringify(handled)}`);
  return handled;
}
