import type { IsolationGate } from '../isolationGate';
import { currentCallClass } from './callClass';

/**
 * First of the shared member-account clients' initialize step, before the finding session's middleware hands a
 * change to the finding's own client: every call of the account and region passes the gate once, and the SDK's retry
 * (further down the stack) repeats an attempt without passing it again.
 */
export function isolationGateMiddleware(gate: IsolationGate) {
  return <Output>(next: (args: unknown) => Promise<Output>): ((args: unknown) => Promise<Output>) =>
    (args) =>
      currentCallClass() === 'afterIsolation'
        ? gate.afterIsolationCall(() => next(args))
        : gate.isolationCall(() => next(args));
}
