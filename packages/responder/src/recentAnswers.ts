/**
 * Answers of reads that concurrent responses of a container would otherwise each ask again. A read still on the wire
 * is joined, not repeated; its answer is then kept for `keptMs` from when it came (a failed read is not kept):
 * - the same person's launches in one region, a minute (`createRecentAnswers`): a fleet of one launcher brings a
 *   finding per instance, and CloudTrail's event history itself lags minutes behind, so a minute-old answer misses
 *   nothing it would have had;
 * - reads on the way to isolation, none at all once answered (`createReadsInFlight`): a burst of findings in one VPC
 *   asks for its groups, its network ACLs and the cap's slots once, while each later finding reads them fresh.
 */
export type RecentAnswers = <T>(key: string, read: () => Promise<T>) => Promise<T>;

/** Reads shared only while on the wire (see RecentAnswers). */
export type ReadsInFlight = RecentAnswers;

const KEPT_MS = 60_000;

export function createRecentAnswers(now: () => number = Date.now, keptMs = KEPT_MS): RecentAnswers {
  const answers = new Map<string, { readonly answer: Promise<unknown>; untilMs: number }>();
  return <T>(key: string, read: () => Promise<T>): Promise<T> => {
    const atMs = now();
    for (const [known, { untilMs }] of answers) if (untilMs <= atMs) answers.delete(known);
    const kept = answers.get(key);
    if (kept !== undefined) return kept.answer as Promise<T>;
    const answer = read();
    const entry = { answer, untilMs: Number.POSITIVE_INFINITY };
    answers.set(key, entry);
    answer.then(
      () => {
        entry.untilMs = now() + keptMs;
        if (keptMs <= 0 && answers.get(key) === entry) answers.delete(key);
      },
      () => {
        if (answers.get(key) === entry) answers.delete(key);
      },
    );
    return answer;
  };
}

export function createReadsInFlight(): ReadsInFlight {
  return createRecentAnswers(Date.now, 0);
}
