import { performance } from 'node:perf_hooks';
import type { RecordableClient } from '@cryptominer-defense/testing';

/** One logical AWS call the engine made (retries included), with when it started and ended. */
export interface TimedCall {
  /** e.g. `EC2Client`. */
  readonly clientName: string;
  /** e.g. `ModifyNetworkInterfaceAttributeCommand`. */
  readonly commandName: string;
  /** The ENI the call names, when it names one. */
  readonly networkInterfaceId: string | null;
  /** performance.now() milliseconds. */
  readonly startMs: number;
  readonly endMs: number;
  readonly ok: boolean;
}

type NextHandler = (args: unknown) => Promise<unknown>;
interface HandlerContext {
  readonly clientName?: string;
  readonly commandName?: string;
}

function networkInterfaceIdOf(args: unknown): string | null {
  if (typeof args !== 'object' || args === null || !('input' in args)) return null;
  const { input } = args;
  if (typeof input !== 'object' || input === null || !('NetworkInterfaceId' in input)) return null;
  return typeof input.NetworkInterfaceId === 'string' ? input.NetworkInterfaceId : null;
}

/**
 * Times every call of the clients it is attached to (through the responder's `configureClient` hook), so the
 * benchmark knows when each ENI's last move ended without any change to the engine. It sits in the
 * `initialize` step, before retries and signing: the time is what the engine waits for.
 */
export class CallTimeline {
  readonly #calls: TimedCall[] = [];

  /** The hook for `createLambdaHandler({ configureClient })`. */
  hook(): (client: RecordableClient) => void {
    return (client) => {
      client.middlewareStack.add(
        ((next: NextHandler, context: HandlerContext) => async (args: unknown) => {
          const startMs = performance.now();
          const call = {
            clientName: context.clientName ?? 'unknown',
            commandName: context.commandName ?? 'unknown',
            networkInterfaceId: networkInterfaceIdOf(args),
            startMs,
          };
          try {
            const output = await next(args);
            this.#calls.push({ ...call, endMs: performance.now(), ok: true });
            return output;
          } catch (error) {
            this.#calls.push({ ...call, endMs: performance.now(), ok: false });
            throw error;
          }
        }) as Parameters<RecordableClient['middlewareStack']['add']>[0],
        { step: 'initialize', name: 'benchCallTimeline', override: true },
      );
    };
  }

  /** The calls that started at or after `sinceMs`. */
  callsSince(sinceMs: number): TimedCall[] {
    return this.#calls.filter((call) => call.startMs >= sinceMs);
  }
}

/**
 * The longest chain of calls that each started only after the previous one ended, ending with `last`: the
 * dependent round trips (its length), whatever the emulator's own speed adds to the wall-clock time. Calls that
 * merely happened to run one after the other count as dependent too, so this is what the wait was, at most
 * what the code demands.
 */
export function dependentChain(calls: readonly TimedCall[], last: TimedCall): TimedCall[] {
  const ordered = [...calls].sort((a, b) => a.startMs - b.startMs);
  const depth = new Map<TimedCall, number>();
  const previous = new Map<TimedCall, TimedCall>();
  for (const call of ordered) {
    let before: TimedCall | undefined;
    for (const other of ordered) {
      if (other === call || other.endMs > call.startMs) continue;
      const [otherDepth, beforeDepth] = [depth.get(other) ?? 0, before === undefined ? -1 : (depth.get(before) ?? 0)];
      // Of equally long chains, the call that ended last is the likeliest cause of this one.
      if (otherDepth > beforeDepth || (otherDepth === beforeDepth && other.endMs > (before?.endMs ?? 0)))
        before = other;
    }
    depth.set(call, 1 + (before === undefined ? 0 : (depth.get(before) ?? 0)));
    if (before !== undefined) previous.set(call, before);
  }
  const chain: TimedCall[] = [];
  for (let current: TimedCall | undefined = last; current !== undefined; current = previous.get(current)) {
    chain.unshift(current);
  }
  return chain;
}

/** `ModifyNetworkInterfaceAttribute`, the operation of a call. */
export function operationOf(call: TimedCall): string {
  return call.commandName.replace(/Command$/, '');
}
