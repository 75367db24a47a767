import type { ErrorFaultKind } from './awsErrorResponse';
import type { AwsRequestIdentity } from './identifyAwsRequest';

/** Every fault the proxy can inject: an AWS error, added latency, or a connection dropped without an answer. */
export type FaultKind = ErrorFaultKind | 'latency' | 'dropConnection';

/** When and where to inject a fault. A rule without a trigger applies to every matching call. */
export interface FaultRule {
  /** SigV4 signing name (`ec2`, `autoscaling`, `iam`, `sts`, `s3`, `cloudtrail`, …); any service when absent. */
  readonly service?: string;
  /** API operation name (`ModifyNetworkInterfaceAttribute`, …); any operation when absent. */
  readonly operation?: string;
  /** Only calls whose URL path starts with this: for S3, `/<bucket>/<key prefix>` (path-style addressing). */
  readonly pathPrefix?: string;
  readonly fault: FaultKind;
  /** Only for `latency`: how long to hold the call before forwarding it. */
  readonly latencyMs?: number;
  /** Fault this share (0..1) of matching calls, chosen by a seeded generator so runs repeat. */
  readonly rate?: number;
  /** Fault only these matching calls, counted from 1 per rule. */
  readonly onCalls?: readonly number[];
  /** Fault the calls beyond this many per second for one caller (access key) and region, as AWS's rate limits do. */
  readonly maxPerSecond?: number;
}

/** Decides, call by call, which rule (if any) fires. Holds the per-rule counters and the seeded generator. */
export class FaultSchedule {
  private readonly matchedCalls = new Map<FaultRule, number>();
  private readonly recentCalls = new Map<string, number[]>();
  private random: () => number;

  constructor(
    private rules: readonly FaultRule[],
    private readonly seed = 1,
  ) {
    this.random = seededRandom(seed);
  }

  /** Replaces the rules and restarts every counter. */
  replaceRules(rules: readonly FaultRule[]): void {
    this.rules = rules;
    this.matchedCalls.clear();
    this.recentCalls.clear();
    this.random = seededRandom(this.seed);
  }

  /** The rules that fire for this call, in order (a latency rule can precede an error rule). */
  faultsFor(call: AwsRequestIdentity, now: number): FaultRule[] {
    return this.rules.filter((rule) => this.matches(rule, call) && this.fires(rule, call, now));
  }

  private matches(rule: FaultRule, call: AwsRequestIdentity): boolean {
    return (
      (rule.service === undefined || rule.service === call.service) &&
      (rule.operation === undefined || rule.operation === call.operation) &&
      (rule.pathPrefix === undefined || call.path.startsWith(rule.pathPrefix))
    );
  }

  private fires(rule: FaultRule, call: AwsRequestIdentity, now: number): boolean {
    const count = (this.matchedCalls.get(rule) ?? 0) + 1;
    this.matchedCalls.set(rule, count);
    if (rule.onCalls !== undefined && !rule.onCalls.includes(count)) return false;
    if (rule.rate !== undefined && this.random() >= rule.rate) return false;
    if (rule.maxPerSecond !== undefined) return this.overRateLimit(rule, call, now);
    return true;
  }

  private overRateLimit(rule: FaultRule, call: AwsRequestIdentity, now: number): boolean {
    const key = `${this.rules.indexOf(rule)}|${call.accessKeyId}|${call.region}`;
    const recent = (this.recentCalls.get(key) ?? []).filter((time) => now - time < 1_000);
    const limited = recent.length >= (rule.maxPerSecond ?? Number.POSITIVE_INFINITY);
    if (!limited) recent.push(now);
    this.recentCalls.set(key, recent);
    return limited;
  }
}

/** mulberry32: a small, well-spread, seedable generator (Math.random cannot be seeded). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
