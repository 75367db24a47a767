/** When the fake answers ThrottlingException instead of events. */
export type ThrottlingMode =
  /** Every n-th LookupEvents call (counted across all callers) is throttled: 2 → the 2nd, 4th, … call. */
  | { readonly everyNthCall: number }
  /** CloudTrail's real limit: at most this many calls per second per account and region (AWS: 2). */
  | { readonly perSecondPerAccountRegion: number };

/** Decides, call by call, whether to throttle. */
export class ThrottlePolicy {
  private calls = 0;
  private readonly recent = new Map<string, number[]>();

  constructor(
    private mode: ThrottlingMode | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  set(mode: ThrottlingMode | undefined): void {
    this.mode = mode;
    this.calls = 0;
    this.recent.clear();
  }

  /** Counts the call and says whether it must be throttled. */
  shouldThrottle(accountId: string, region: string): boolean {
    const mode = this.mode;
    if (mode === undefined) return false;
    if ('everyNthCall' in mode) {
      this.calls += 1;
      return this.calls % mode.everyNthCall === 0;
    }
    const key = `${accountId}/${region}`;
    const now = this.now();
    const inLastSecond = (this.recent.get(key) ?? []).filter((at) => now - at < 1_000);
    if (inLastSecond.length >= mode.perSecondPerAccountRegion) {
      this.recent.set(key, inLastSecond);
      return true;
    }
    inLastSecond.push(now);
    this.recent.set(key, inLastSecond);
    return false;
  }
}
