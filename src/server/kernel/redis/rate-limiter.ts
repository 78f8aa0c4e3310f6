/**
 * Fixed-window counters on Redis (rate-limiter-flexible), so a limit holds across all instances.
 */
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RedisClient } from './client.js';

export interface RateLimit {
  keyPrefix: string;
  points: number;
  durationS: number;
}

const secondsFrom = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export class RedisRateLimiter {
  private readonly limiter: RateLimiterRedis;

  constructor(
    redis: RedisClient,
    private readonly limit: RateLimit,
  ) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      useRedisPackage: true,
      keyPrefix: limit.keyPrefix,
      points: limit.points,
      duration: limit.durationS,
    });
  }

  /** Counts `points` (1 by default; the bytes of an upload against a byte quota). */
  async consume(key: string, points = 1) {
    try {
      await this.limiter.consume(key, points);
      return { allowed: true as const };
    } catch (outcome) {
      // The library rejects with a RateLimiterRes when the limit is hit, with an Error otherwise.
      if (outcome instanceof RateLimiterRes) {
        return { allowed: false as const, retryAfterS: secondsFrom(outcome.msBeforeNext) };
      }
      throw outcome;
    }
  }

  /** Gives back points counted for something that did not happen after all. */
  async refund(key: string, points: number): Promise<void> {
    await this.limiter.reward(key, points);
  }

  async blockedFor(key: string): Promise<number> {
    const state = await this.limiter.get(key);
    return state && state.consumedPoints >= this.limit.points ? secondsFrom(state.msBeforeNext) : 0;
  }

  async counted(key: string): Promise<{ count: number; resetsInS: number }> {
    const state = await this.limiter.get(key);
    return state
      ? { count: state.consumedPoints, resetsInS: secondsFrom(state.msBeforeNext) }
      : { count: 0, resetsInS: 0 };
  }

  async reset(key: string): Promise<void> {
    await this.limiter.delete(key);
  }
}

/** A per-user counter on Redis; `points: 0` turns the limit off (every attempt is allowed). */
export function userLimiter(
  redis: RedisClient,
  limit: RateLimit,
): Pick<RedisRateLimiter, 'consume'> {
  if (limit.points === 0) return { consume: async () => ({ allowed: true as const }) };
  return new RedisRateLimiter(redis, limit);
}

/** A per-user counter of `perMinute` attempts a minute, the limit most features set (0: off). */
export const perUserLimiter = (redis: RedisClient, keyPrefix: string, perMinute: number) =>
  userLimiter(redis, { keyPrefix, points: perMinute, durationS: 60 });
