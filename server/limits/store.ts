/**
 * Where counts live: this process's memory, or Redis when several processes share the limits (the
 * same `REDIS_URL` the scale work uses). A Redis that stops answering does not open the door: each
 * Redis limiter is insured by a memory one with the same budget.
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Budget } from './settings';

export interface LimiterOptions extends Budget {
  /** Names the counter; keys of different limiters never meet. */
  name: string;
  /** Once over budget, refused for this long (seconds); 0: only until the window ends. */
  blockSeconds?: number;
  /** Counts that only make sense in this process (one socket's messages) stay in memory even with Redis. */
  local?: boolean;
}

/** Makes rate limiters for the door. */
export type LimiterFactory = (options: LimiterOptions) => RateLimiterAbstract;

/** Limiters in this process's memory. */
export const memoryLimiters =
  (prefix = 'arena'): LimiterFactory =>
  ({ name, points, seconds, blockSeconds }) =>
    new RateLimiterMemory({ keyPrefix: `${prefix}:${name}`, points, duration: seconds, blockDuration: blockSeconds ?? 0 });

/** Limiters on Redis (shared by every process), insured by memory ones; `local` ones stay in memory. */
export function redisLimiters(client: Redis, prefix = 'arena:limits'): LimiterFactory {
  const memory = memoryLimiters(prefix);
  return (options) => {
    if (options.local) return memory(options);
    return new RateLimiterRedis({
      storeClient: client,
      keyPrefix: `${prefix}:${options.name}`,
      points: options.points,
      duration: options.seconds,
      blockDuration: options.blockSeconds ?? 0,
      insuranceLimiter: memory(options),
    });
  };
}

/** Over budget: refused, with how long until it may try again. */
export interface OverBudget {
  retryAfterMs: number;
}

/** Takes `points` from `key`'s budget; null when it fits, else how long to wait. */
export async function take(limiter: RateLimiterAbstract, key: string, points = 1): Promise<OverBudget | null> {
  try {
    await limiter.consume(key, points);
    return null;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return { retryAfterMs: rejection.msBeforeNext };
    // Neither the store nor its insurance answered: refuse rather than let everything through.
    return { retryAfterMs: 1000 };
  }
}
