import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createIsolationGate, type IsolationGate } from '../../src/isolationGate';

/** Calls whose answers the test gives: it sees which were sent, in which order, and ends them when it likes. */
function callsOf(gate: IsolationGate) {
  const sent: string[] = [];
  const answers = new Map<string, () => void>();
  const answered: string[] = [];
  const send = (name: string) => () =>
    new Promise<string>((resolve) => {
      sent.push(name);
      answers.set(name, () => resolve(name));
    });
  return {
    sent,
    answered,
    afterIsolation(name: string) {
      void gate.afterIsolationCall(send(name)).then((value) => answered.push(value));
    },
    isolation(name: string) {
      void gate.isolationCall(send(name)).then((value) => answered.push(value));
    },
    answer(name: string) {
      const answer = answers.get(name);
      if (answer === undefined) throw new Error(`${name} was not sent`);
      answer();
    },
  };
}

/** Lets the gate's promises and the calls' continuations run. */
const settle = () => vi.advanceTimersByTimeAsync(0);

const options = { concurrency: 8, maxQueued: 500, maxWaitMs: 5000 };

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('createIsolationGate', () => {
  it('sends a lone response’s after-isolation calls at once, beside its isolation (a single finding’s chain)', async () => {
    // Prepare
    const gate = createIsolationGate(options);
    const calls = callsOf(gate);
    gate.admit();

    // Act
    calls.isolation('ModifyNetworkInterfaceAttribute');
    calls.afterIsolation('CreateSnapshot');
    await settle();

    // Assess
    expect(calls.sent).toEqual(['ModifyNetworkInterfaceAttribute', 'CreateSnapshot']);
  });

  it('holds after-isolation calls while another response of the account is isolating, and sends them in order', async () => {
    // Prepare
    const gate = createIsolationGate(options);
    const calls = callsOf(gate);
    const first = gate.admit();
    const second = gate.admit();

    // Act
    calls.afterIsolation('CreateSnapshot');
    calls.isolation('DescribeInstances');
    calls.afterIsolation('LookupEvents');
    calls.afterIsolation('DetachInstances');
    await settle();
    const whileIsolating = [...calls.sent];
    first.isolated();
    await settle();
    const whileOneIsolates = [...calls.sent];
    second.isolated();
    await settle();

    // Assess
    expect(whileIsolating).toEqual(['DescribeInstances']);
    expect(whileOneIsolates).toEqual(['DescribeInstances']);
    expect(calls.sent).toEqual(['DescribeInstances', 'CreateSnapshot', 'LookupEvents', 'DetachInstances']);
  });

  it('lets at most k after-isolation calls on the wire at once while other responses share the account', async () => {
    // Prepare
    const gate = createIsolationGate({ ...options, concurrency: 2 });
    const calls = callsOf(gate);
    const first = gate.admit();
    gate.admit().isolated();
    for (const name of ['a', 'b', 'c', 'd']) calls.afterIsolation(name);

    // Act
    first.isolated();
    await settle();
    const atOnce = [...calls.sent];
    calls.answer('a');
    await settle();

    // Assess
    expect(atOnce).toEqual(['a', 'b']);
    expect(calls.sent).toEqual(['a', 'b', 'c']);
  });

  it('sends everything once the other responses are over, k or not', async () => {
    // Prepare
    const gate = createIsolationGate({ ...options, concurrency: 1 });
    const calls = callsOf(gate);
    const first = gate.admit();
    const second = gate.admit();
    for (const name of ['a', 'b', 'c']) calls.afterIsolation(name);

    // Act
    second.leave();
    await settle();

    // Assess
    expect(calls.sent).toEqual(['a', 'b', 'c']);
    first.leave();
  });

  it('bounds the queue: a call beyond it waits for room, in order, and is never dropped', async () => {
    // Prepare
    const gate = createIsolationGate({ ...options, maxQueued: 2, concurrency: 1 });
    const calls = callsOf(gate);
    const isolating = gate.admit();
    gate.admit().isolated();
    for (const name of ['a', 'b', 'c', 'd', 'e']) calls.afterIsolation(name);

    // Act
    isolating.isolated();
    for (const name of ['a', 'b', 'c', 'd']) {
      await settle();
      calls.answer(name);
    }
    await settle();

    // Assess
    expect(calls.sent).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(calls.answered).toEqual(['a', 'b', 'c', 'd']);
  });

  it('releases a held call after the maximum wait without isolation progress, and an answer starts the wait again', async () => {
    // Prepare
    const gate = createIsolationGate(options);
    const calls = callsOf(gate);
    gate.admit();
    gate.admit();
    calls.isolation('ModifyNetworkInterfaceAttribute');
    calls.afterIsolation('CreateSnapshot');

    // Act
    await vi.advanceTimersByTimeAsync(4000);
    calls.answer('ModifyNetworkInterfaceAttribute');
    await vi.advanceTimersByTimeAsync(4000);
    const afterProgress = [...calls.sent];
    await vi.advanceTimersByTimeAsync(1000);

    // Assess
    expect(afterProgress).toEqual(['ModifyNetworkInterfaceAttribute']);
    expect(calls.sent).toEqual(['ModifyNetworkInterfaceAttribute', 'CreateSnapshot']);
  });

  it('never repeats a call: a failed after-isolation call fails once, to its caller', async () => {
    // Prepare
    const gate = createIsolationGate(options);
    gate.admit();
    gate.admit().isolated();
    let attempts = 0;
    const failing = () => {
      attempts += 1;
      return Promise.reject(new Error('Throttling'));
    };

    // Act
    const outcome = gate.afterIsolationCall(failing).catch((error: Error) => error.message);
    await vi.advanceTimersByTimeAsync(6000);

    // Assess
    expect(await outcome).toBe('Throttling');
    expect(attempts).toBe(1);
  });
});
