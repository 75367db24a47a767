import { describe, expect, it } from 'vitest';
import { createReadsInFlight, createRecentAnswers } from '../../src/recentAnswers';

describe('createRecentAnswers', () => {
  it('answers a second read of the same key from the first, for a minute, and reads again after', async () => {
    // Prepare
    let nowMs = 0;
    const recent = createRecentAnswers(() => nowMs);
    let reads = 0;
    const read = async () => {
      reads += 1;
      return reads;
    };

    // Act
    const first = await Promise.all([recent('k', read), recent('k', read)]);
    nowMs = 59_999;
    const within = await recent('k', read);
    nowMs = 60_000;
    const after = await recent('k', read);
    const otherKey = await recent('other', read);

    // Assess
    expect(first).toEqual([1, 1]);
    expect(within).toBe(1);
    expect(after).toBe(2);
    expect(otherKey).toBe(3);
  });

  it('keeps no failed answer: the next read asks again', async () => {
    // Prepare
    const recent = createRecentAnswers(() => 0);
    let reads = 0;
    const failingOnce = async () => {
      reads += 1;
      if (reads === 1) throw new Error('ThrottlingException');
      return 'launches';
    };

    // Act
    const failed = await recent('k', failingOnce).catch((error: Error) => error.message);
    const retried = await recent('k', failingOnce);

    // Assess
    expect(failed).toBe('ThrottlingException');
    expect(retried).toBe('launches');
    expect(reads).toBe(2);
  });
});

describe('createReadsInFlight', () => {
  it('joins a read still on the wire, and reads fresh once it answered', async () => {
    // Prepare
    const inFlight = createReadsInFlight();
    let reads = 0;
    let answer: (value: number) => void = () => undefined;
    const read = () => {
      reads += 1;
      return new Promise<number>((resolve) => {
        answer = resolve;
      });
    };

    // Act
    const first = inFlight('k', read);
    const joined = inFlight('k', read);
    answer(1);
    const together = await Promise.all([first, joined]);
    const afterwards = inFlight('k', read);
    answer(2);

    // Assess
    expect(together).toEqual([1, 1]);
    expect(await afterwards).toBe(2);
    expect(reads).toBe(2);
  });
});
