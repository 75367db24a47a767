/** Median, minimum and maximum of a set of samples, rounded to 0.1. */
export interface Distribution {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

const round = (value: number) => Math.round(value * 10) / 10;

export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error('No samples to take the median of.');
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
}

export function distributionOf(samples: readonly number[]): Distribution {
  return { median: round(median(samples)), min: round(Math.min(...samples)), max: round(Math.max(...samples)) };
}
