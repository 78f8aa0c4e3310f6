/**
 * Posting a message in one Redis round trip: a script counts the author's send against the
 * per-user limit and, only when the author is under it, stores the message, moves the author's
 * read marker and publishes the seed envelope.
 *
 * Why one script: on a lightly loaded server each round trip costs a write and a wake-up, and
 * those dominate what a message costs (see docs/performance.md). A separate rate-limit call
 * before the store was one round trip in two.
 *
 * The counter is the fixed window rate-limiter-flexible kept before (same key, `INCR` with an
 * expiry set by the first send of a window), so counters survive a rolling upgrade; a refused
 * send counts too, as it did. The script touches keys in three hash slots (the counter, the room,
 * the author's read markers): on a Redis Cluster it would need the limit check as its own call
 * first, as before (docs/multi-instance.md, Redis Cluster).
 */
import { createHash } from 'node:crypto';
import type { LimitedMessageStore, LimitedAppend } from '../domain/chat-service.js';
import { SEED_CHANNEL, roomKey, userReadMarkersKey } from './keys.js';
import type { RedisClient } from './redis-client.js';

/** KEYS: counter, room, author's read markers. ARGV: limit, window ms, score, member, room id,
 * message id, seed envelope (optional). Answers {1, room size} or {0, ms until the window ends}. */
const POST_WITHIN_LIMIT_SCRIPT = `
local sent = redis.call('INCR', KEYS[1])
if sent == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if sent > tonumber(ARGV[1]) then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    ttl = tonumber(ARGV[2])
  end
  return {0, ttl}
end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
local size = redis.call('ZCARD', KEYS[2])
redis.call('HSET', KEYS[3], ARGV[5], ARGV[6])
if ARGV[7] then redis.call('PUBLISH', '${SEED_CHANNEL}', ARGV[7]) end
return {1, size}`;

const SCRIPT_SHA = createHash('sha1').update(POST_WITHIN_LIMIT_SCRIPT).digest('hex');

export interface SendLimit {
  /** Prefix of the counters: `{prefix}:{userId}`. */
  keyPrefix: string;
  /** Sends allowed per window. */
  points: number;
  windowMs: number;
}

const secondsFrom = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export class RedisMessagePosting implements LimitedMessageStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly limit: SendLimit,
  ) {}

  async appendWithinLimit(append: LimitedAppend) {
    const options = {
      keys: [
        `${this.limit.keyPrefix}:${append.authorId}`,
        roomKey(append.roomId),
        userReadMarkersKey(append.authorId),
      ],
      arguments: [
        String(this.limit.points),
        String(this.limit.windowMs),
        String(append.score),
        append.encoded,
        append.roomId,
        append.messageId,
        ...(append.seedEnvelope === null ? [] : [append.seedEnvelope]),
      ],
    };
    // EVALSHA sends 40 bytes instead of the script; EVAL loads it after a restart or FLUSH.
    const reply = await this.redis
      .evalSha(SCRIPT_SHA, options)
      .catch((error: unknown) =>
        error instanceof Error && error.message.startsWith('NOSCRIPT')
          ? this.redis.eval(POST_WITHIN_LIMIT_SCRIPT, options)
          : Promise.reject(error),
      );
    const [stored, value] = (reply as [number, number]).map(Number) as [number, number];
    return stored === 1
      ? { allowed: true as const, roomSize: value }
      : { allowed: false as const, retryAfterS: secondsFrom(value) };
  }
}
