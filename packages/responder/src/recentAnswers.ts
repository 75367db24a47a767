/**
 * Answers of reads that concurrent responses of a container would otherwise each ask again: the same person's
 * launches in one region, when a fleet of one launcher brings a finding per instance. An answer is kept for a short
 * time (CloudTrail's event history itself lags minutes behind, so a minute-old answer misses nothing it would
 * have had), and a read still on the wire is joined, not repeated. A failed read is not kept.
 */
export type RecentAnswers = <T>(key: string, read: () => Promise<T>) => Promise<T>;

const KEPT_MS = 60_000;

export function createRecentAnswers(now: () => number = Date.now): RecentAnswers {
  const answers = new Map<string, { readonly answer: Promise<unknown>; readonly untilMs: number }>();
  return <T>(key: string, read: () => Promise<T>): Promise<T> => {
    const atMs = now();
    for (const [known, { untilMs }] of answers) if (untilMs <= atMs) answers.delete(known);
    const kept = answers.get(key);
    if (kept !== undefined) return kept.answer as Promise<T>;
    const answer = read();
    answers.set(key, { answer, untilMs: atMs + KEPT_MS });
    answer.catch(() => {
      if (answers.get(key)?.answer === answer) answers.delete(key);
    });
    return answer;
  };
}
