/**
 * The order of one member account and region's calls when several responses run there at once (decision 0026):
 * isolation first. Knows nothing of AWS: it holds and releases functions that send a call; the middleware that feeds
 * it is clients/isolationGateMiddleware.ts.
 */
export interface IsolationGateOptions {
  /** After-isolation calls on the wire at once while other responses share the account and none is isolating. */
  readonly concurrency: number;
  /** After-isolation calls held at most; a call beyond waits for room, in order, and is never dropped. */
  readonly maxQueued: number;
  /** A held call goes anyway once this long has passed without isolation making progress (a call or a response). */
  readonly maxWaitMs: number;
}

/**
 * k = 16 keeps the after-isolation work of a burst moving once it is isolated (k = 8 made 30 findings' whole
 * response 60 % longer in the bench, decision 0026) and leaves most of the 50 sockets and the account's token buckets
 * to the isolation of a finding that arrives meanwhile; 5 s without an isolation call answering means isolation is
 * stuck, not slow (one call takes 0.1–0.3 s in AWS), and the report must not wait for it.
 */
export const DEFAULT_ISOLATION_GATE_OPTIONS: IsolationGateOptions = {
  concurrency: 16,
  maxQueued: 500,
  maxWaitMs: 5000,
};

/** One response in the gate's account and region: its isolation is pending until `isolated` or `leave`. */
export interface IsolationTicket {
  /** Its isolation path is done (or skipped, or failed): it no longer holds the others' after-isolation work. */
  isolated(): void;
  /** The response is over; idempotent, and implies `isolated`. */
  leave(): void;
}

export interface IsolationGate {
  admit(): IsolationTicket;
  /** Sent at once; its answer counts as progress (the held calls' wait starts again). */
  isolationCall<T>(send: () => Promise<T>): Promise<T>;
  /**
   * Sent at once while this is the only response of the account and region (a single finding's chain is as it
   * was); else held, first in first out, until no response there is still isolating, at most `concurrency` at a
   * time, or until `maxWaitMs` without progress. The gate delays a first attempt only: it never repeats a call.
   */
  afterIsolationCall<T>(send: () => Promise<T>): Promise<T>;
}

interface HeldCall {
  readonly release: () => void;
  queuedAtMs: number;
}

export function createIsolationGate(options: IsolationGateOptions = DEFAULT_ISOLATION_GATE_OPTIONS): IsolationGate {
  let responses = 0;
  let isolating = 0;
  let afterIsolationOnTheWire = 0;
  let lastProgressMs = Date.now();
  const queue: HeldCall[] = [];
  const waitingForRoom: HeldCall[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  const mayRelease = () => responses <= 1 || (isolating === 0 && afterIsolationOnTheWire < options.concurrency);
  const dueMs = (call: HeldCall) => Math.max(call.queuedAtMs, lastProgressMs) + options.maxWaitMs;

  function releaseFirst(): void {
    const first = queue.shift();
    const next = waitingForRoom.shift();
    if (next !== undefined) {
      next.queuedAtMs = Date.now();
      queue.push(next);
    }
    if (first === undefined) return;
    // Counted when released, not when its sender resumes: a loop of releases must see the ones before it.
    afterIsolationOnTheWire += 1;
    first.release();
  }

  function releaseWhatMayGo(): void {
    while (queue.length > 0 && mayRelease()) releaseFirst();
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const first = queue[0];
    if (first === undefined) return;
    timer = setTimeout(releaseOverdue, Math.max(0, dueMs(first) - Date.now()));
    // A held call keeps its own promise pending; the timer alone must not keep a process alive.
    timer.unref?.();
  }

  function releaseOverdue(): void {
    timer = undefined;
    const nowMs = Date.now();
    for (let first = queue[0]; first !== undefined && dueMs(first) <= nowMs; first = queue[0]) releaseFirst();
    releaseWhatMayGo();
  }

  function progressed(): void {
    lastProgressMs = Date.now();
    releaseWhatMayGo();
  }

  /** Sends a call already counted on the wire. */
  async function sendReleased<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } finally {
      afterIsolationOnTheWire -= 1;
      releaseWhatMayGo();
    }
  }

  return {
    admit() {
      responses += 1;
      isolating += 1;
      let isolated = false;
      let left = false;
      const ticket: IsolationTicket = {
        isolated() {
          if (isolated) return;
          isolated = true;
          isolating -= 1;
          progressed();
        },
        leave() {
          ticket.isolated();
          if (left) return;
          left = true;
          responses -= 1;
          releaseWhatMayGo();
        },
      };
      return ticket;
    },
    async isolationCall(send) {
      try {
        return await send();
      } finally {
        progressed();
      }
    },
    async afterIsolationCall(send) {
      if (queue.length === 0 && waitingForRoom.length === 0 && mayRelease()) {
        afterIsolationOnTheWire += 1;
        return sendReleased(send);
      }
      await new Promise<void>((release) => {
        const call: HeldCall = { release, queuedAtMs: Date.now() };
        if (queue.length < options.maxQueued && waitingForRoom.length === 0) queue.push(call);
        else waitingForRoom.push(call);
        releaseWhatMayGo();
      });
      return sendReleased(send);
    },
  };
}
