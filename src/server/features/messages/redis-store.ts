/**
 * Messages on Redis, in the seed's data model: `room:{id}` is a sorted set of JSON messages
 * scored by their time. Posting costs two round trips: a one-key script counts the author's send
 * against the per-user limit; only when the author is under it, one MULTI on the room's key
 * stores the message (with the extra PUBLISH, un-keyed, when interop supplies one), and the
 * author's read marker leaves in the same write.
 *
 * Why not one script for all: the counter, the room and the read markers live in three hash
 * slots, and no command of this project spans slots, so that a Redis Cluster stays possible
 * (docs/multi-instance.md). The price is one round trip per message (docs/performance.md).
 */
import { createHash } from 'node:crypto';
import type { RedisClient } from '../../kernel/redis/client.js';
import { roomKey } from '../../kernel/redis/keys.js';
import type { StoredMessage } from './message-codec.js';
import type { ExtraPublish, MessageStore, SendLimiter } from './ports.js';

const SWAP_MEMBER_SCRIPT = `
if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[2])
  return 1
end
return 0`;

export class RedisMessageStore implements MessageStore {
  constructor(private readonly redis: RedisClient) {}

  async append(
    roomId: string,
    encoded: string,
    score: number,
    alsoPublish: ExtraPublish | null,
  ): Promise<{ roomSize: number }> {
    // One key plus an un-keyed PUBLISH: a single-slot transaction, one round trip.
    const transaction = this.redis
      .multi()
      .zAdd(roomKey(roomId), { score, value: encoded })
      .zCard(roomKey(roomId));
    if (alsoPublish) transaction.publish(alsoPublish.channel, alsoPublish.message);
    const replies = await transaction.exec();
    return { roomSize: Number(replies[1]) };
  }

  async readNewestFirst(roomId: string, offset: number, size: number): Promise<StoredMessage[]> {
    const rows = await this.redis.zRangeWithScores(roomKey(roomId), offset, offset + size - 1, {
      REV: true,
    });
    return rows.map(({ value, score }) => ({ raw: value, score }));
  }

  async readFromScore(roomId: string, minScore: number, size: number): Promise<StoredMessage[]> {
    const rows = await this.redis.zRangeWithScores(roomKey(roomId), minScore, '+inf', {
      BY: 'SCORE',
      LIMIT: { offset: 0, count: size },
    });
    return rows.map(({ value, score }) => ({ raw: value, score }));
  }

  async newestMessages(roomIds: string[]): Promise<(StoredMessage | null)[]> {
    const rows = await Promise.all(
      roomIds.map((id) => this.redis.zRangeWithScores(roomKey(id), -1, -1)),
    );
    return rows.map((row) => (row[0] ? { raw: row[0].value, score: row[0].score } : null));
  }

  async messagesAtScore(roomId: string, score: number): Promise<StoredMessage[]> {
    const rows = await this.redis.zRangeWithScores(roomKey(roomId), score, score, { BY: 'SCORE' });
    return rows.map(({ value, score: s }) => ({ raw: value, score: s }));
  }

  async replace(roomId: string, previous: StoredMessage, encoded: string): Promise<boolean> {
    // A one-key script swaps the member atomically (and stays single-slot): if another edit got
    // there first, the old member is gone and nothing is written.
    const swapped = await this.redis.eval(SWAP_MEMBER_SCRIPT, {
      keys: [roomKey(roomId)],
      arguments: [previous.raw, encoded, String(previous.score)],
    });
    return Number(swapped) === 1;
  }
}

/**
 * KEYS: counter. ARGV: limit, window ms. Answers {1, 0} or {0, ms until the window ends}. A fixed
 * window (the key rate-limiter-flexible used, `INCR` with an expiry set by the first send of a
 * window), so counters survive a rolling upgrade; a refused send counts too.
 */
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

const COUNT_SEND_SHA = createHash('sha1').update(COUNT_SEND_SCRIPT).digest('hex');

export interface SendLimit {
  /** Prefix of the counters: `{prefix}:{userId}`. */
  keyPrefix: string;
  /** Sends allowed per window. */
  points: number;
  windowMs: number;
}

const secondsFrom = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export class RedisSendLimiter implements SendLimiter {
  constructor(
    private readonly redis: RedisClient,
    private readonly limit: SendLimit,
  ) {}

  async consume(
    authorId: string,
  ): Promise<{ allowed: true } | { allowed: false; retryAfterS: number }> {
    const options = {
      keys: [`${this.limit.keyPrefix}:${authorId}`],
      arguments: [String(this.limit.points), String(this.limit.windowMs)],
    };
    // EVALSHA sends 40 bytes instead of the script; EVAL loads it after a restart or FLUSH.
    const reply = await this.redis
      .evalSha(COUNT_SEND_SHA, options)
      .catch((error: unknown) =>
        error instanceof Error && error.message.startsWith('NOSCRIPT')
          ? this.redis.eval(COUNT_SEND_SCRIPT, options)
          : Promise.reject(error),
      );
    const [allowed, waitMs] = (reply as [number, number]).map(Number) as [number, number];
    return allowed === 1 ? { allowed: true } : { allowed: false, retryAfterS: secondsFrom(waitMs) };
  }
}
