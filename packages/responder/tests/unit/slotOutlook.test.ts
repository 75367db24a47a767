import { describe, expect, it } from 'vitest';
import { createSlotOutlook } from '../../src/response/slotOutlook';

const PREFIX = 'responder-state/quota/account/111122223333/2026-12-04T21/';

describe('a container’s outlook on the cap’s slots', () => {
  it('allows no claim ahead before the container listed the scope’s hour', () => {
    // Prepare
    const outlook = createSlotOutlook();

    // Act
    const allowed = outlook.tryAhead(PREFIX, 3);

    // Assess
    expect(allowed).toBe(false);
  });

  it('allows a listed slot not seen taken once at a time, and never again once it is known taken', () => {
    // Prepare
    const outlook = createSlotOutlook();
    outlook.learn(PREFIX, [1, 2]);

    // Act
    const seenTaken = outlook.tryAhead(PREFIX, 2);
    const first = outlook.tryAhead(PREFIX, 3);
    const concurrent = outlook.tryAhead(PREFIX, 3);
    outlook.settle(PREFIX, 3, false);
    const afterAFailedWrite = outlook.tryAhead(PREFIX, 3);
    outlook.settle(PREFIX, 3, true);
    const afterItWasTaken = outlook.tryAhead(PREFIX, 3);

    // Assess
    expect([seenTaken, first, concurrent, afterAFailedWrite, afterItWasTaken]).toEqual([
      false,
      true,
      false,
      true,
      false,
    ]);
  });

  it('keeps what it saw taken when a later listing, sent earlier, does not show it yet', () => {
    // Prepare
    const outlook = createSlotOutlook();
    outlook.learn(PREFIX, [1]);
    outlook.settle(PREFIX, 4, true);
    outlook.learn(PREFIX, [4]);

    // Act
    outlook.learn(PREFIX, []);

    // Assess
    expect([1, 4].map((slot) => outlook.tryAhead(PREFIX, slot))).toEqual([false, false]);
    expect(outlook.tryAhead(PREFIX, 5)).toBe(true);
  });

  it('forgets the oldest scope-hours first when it holds 512', () => {
    // Prepare
    const outlook = createSlotOutlook();
    const prefixOf = (index: number) => `responder-state/quota/account/${String(index).padStart(12, '0')}/h/`;

    // Act
    for (let index = 0; index <= 512; index++) outlook.learn(prefixOf(index), []);

    // Assess
    expect(outlook.tryAhead(prefixOf(0), 1)).toBe(false);
    expect(outlook.tryAhead(prefixOf(1), 1)).toBe(true);
    expect(outlook.tryAhead(prefixOf(512), 1)).toBe(true);
  });
});
