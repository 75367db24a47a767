import { describe, expect, it } from 'vitest';
import { mapWithConcurrency } from '../src/mapWithConcurrency';

/** Work that records how many calls are in flight at once, and settles in an order unlike the items'. */
function trackedWork() {
  let inFlight = 0;
  let mostInFlight = 0;
  const work = async (item: number) => {
    inFlight += 1;
    mostInFlight = Math.max(mostInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, item % 3));
    inFlight -= 1;
    return item * 2;
  };
  return { work, mostInFlight: () => mostInFlight };
}

describe('mapWithConcurrency', () => {
  it('runs 300 items with at most the limit in flight, results in the items’ order', async () => {
    // Prepare
    const items = Array.from({ length: 300 }, (_, index) => index);
    const tracked = trackedWork();

    // Act
    const results = await mapWithConcurrency(items, 16, tracked.work);

    // Assess
    expect(results).toEqual(items.map((item) => item * 2));
    expect(tracked.mostInFlight()).toBe(16);
  });

  it('starts no more workers than there are items, and none for no items', async () => {
    // Prepare
    const tracked = trackedWork();

    // Act
    const few = await mapWithConcurrency([1, 2], 16, tracked.work);
    const none = await mapWithConcurrency([], 16, tracked.work);

    // Assess
    expect(few).toEqual([2, 4]);
    expect(none).toEqual([]);
    expect(tracked.mostInFlight()).toBe(2);
  });
});
