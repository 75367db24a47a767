import type { ResponderClient } from '@cryptominer-defense/responder';

/** Waits a hundredth of the SDK's (throttling: 10 ms base instead of 1 s), with the same full jitter. */
const SCALE = 100;
const MAXIMUM_WAIT_MS = 200;

interface BackoffStrategy {
  computeNextBackoffDelay(retries: number): number;
  setDelayBase(delay: number): void;
}

type StrategyClass = new (
  maxAttempts: number,
  options: { readonly backoff: BackoffStrategy; readonly rateLimiter: unknown },
) => unknown;
type RateLimiterClass = new (options: { readonly minFillRate: number; readonly minCapacity: number }) => unknown;

function shortJitteredBackoff(): BackoffStrategy {
  let base = 0;
  return {
    setDelayBase: (delay) => {
      base = delay / SCALE;
    },
    computeNextBackoffDelay: (retries) => Math.floor(Math.random() * Math.min(base * 2 ** retries, MAXIMUM_WAIT_MS)),
  };
}

/**
 * Keeps the client's retry strategy — the SDK's own adaptive strategy the engine's client factory configured,
 * with its number of attempts — but makes its waits short, so a test can inject hundreds of throttling errors
 * in seconds. A client hook (the factory's `configureClient`), not a change to production code: the SDK reads
 * `config.retryStrategy` at each call. The strategy and rate limiter classes are taken from the client's own
 * strategy, since the e2e project does not depend on @smithy packages.
 */
export function shortRetryWaits(client: ResponderClient): void {
  const config = client.config as unknown as {
    retryStrategy: () => Promise<object>;
    maxAttempts: () => Promise<number>;
  };
  const configured = config.retryStrategy;
  let shortened: Promise<object> | undefined;
  config.retryStrategy = () => {
    shortened ??= (async () => {
      const strategy = await configured();
      const rateLimiter: unknown = Reflect.get(strategy, 'rateLimiter');
      if (typeof rateLimiter !== 'object' || rateLimiter === null) return strategy;
      const Strategy = strategy.constructor as StrategyClass;
      const RateLimiter = rateLimiter.constructor as RateLimiterClass;
      return new Strategy(await config.maxAttempts(), {
        backoff: shortJitteredBackoff(),
        rateLimiter: new RateLimiter({ minFillRate: 100, minCapacity: 100 }),
      }) as object;
    })();
    return shortened;
  };
}
