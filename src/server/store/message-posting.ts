/**
 * Posting a message in two Redis round trips: a one-key script counts the author's send against
 * the per-user limit; only when the author is under it, one `MULTI` on the room's key stores the
 * message (with the seed envelope's un-keyed `PUBLISH`), and in the same write the author's read
 * marker moves.
 *
 * Why not one script for all: the counter, the room and the read markers live in three hash
 * slots, and no command of this project spans slots, so that a Redis Cluster stays possible
 * (docs/multi-instance.md). The price is one round trip per message (docs/performance.md).
 *
 * The counter is a fixed window (the key rate-limiter-flexible used, `INCR` with an expiry set by the first send
 * of a window), so counters survive a rolling upgrade; a refused send counts too.
 */
import { createHash } from 'node:crypto';
import type { LimitedAppend, LimitedMessageStore, MessageStore } from '../domain/ports.js';
import { userReadMarkersKey } from '../kernel/redis/keys.js';
import type { RedisClient } from '../kernel/redis/client.js';

/** KEYS: counter. ARGV: limit, window ms. Answers {1, 0} or {0, ms until the window ends}. */
const COUNT_SEND_SCRIPT = `
local sent = redis.call('INCR', KEYS[1])
if sent == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if sent <= tonumber(ARGV[1]) then return {1, 0} end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {0, ttl}`;

const SCRIPT_SHA = createHash('sha1').update(COUNT_SEND_SCRIPT).digest('hex');

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
    /** Stores the message: one MULTI on the room's key with the seed envelope's PUBLISH. */
    private readonly messages: Pick<MessageStore, 'appendMessage'>,
    private readonly limit: SendLimit,
  ) {}

  async appendWithinLimit(append: LimitedAppend) {
    const counted = await this.countSend(append.authorId);
    if (counted.allowed === false) return counted;
    // Issued in the same tick, so both go out in one write.
    const [{ roomSize }] = await Promise.all([
      this.messages.appendMessage(append.roomId, append.encoded, append.score, append.alsoPublish),
      this.redis.hSet(userReadMarkersKey(append.authorId), append.roomId, append.messageId),
    ]);
    return { allowed: true as const, roomSize };
  }

  private async countSend(
    userId: string,
  ): Promise<{ allowed: true } | { allowed: false; retryAfterS: number }> {
    const options = {
      keys: [`${this.limit.keyPrefix}:${userId}`],
      arguments: [String(this.limit.points), String(this.limit.windowMs)],
    };
    // EVALSHA sends 40 bytes instead of the script; EVAL loads it after a restart or FLUSH.
    const reply = await this.redis
      .evalSha(SCRIPT_SHA, options)
      .catch((error: unknown) =>
        error instanceof Error && error.message.startsWith('NOSCRIPT')
          ? this.redis.eval(COUNT_SEND_SCRIPT, options)
          : Promise.reject(error),
      );
    const [allowed, waitMs] = (reply as [number, number]).map(Number) as [number, number];
    return allowed === 1 ? { allowed: true } : { allowed: false, retryAfterS: secondsFrom(waitMs) };
  }
}
