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
import type { RedisClient } from '../../kernel/redis/client.js';
import { roomKey, sentClientIdKey } from '../../kernel/redis/keys.js';
import { readEach, runScript, sha1 } from '../../kernel/redis/scripts.js';
import type { StoredMessage } from './message-codec.js';
import type { ExtraPublish, MessageStore, SendLimiter, SendOnce } from './ports.js';

/**
 * KEYS: the room, the author's client id in that room (one hash slot). ARGV: score, message,
 * message id, retry window ms, and optionally the extra PUBLISH's channel and message. Answers
 * {1, room size} when stored, {0, id of the message stored before} for a retry.
 */
const APPEND_ONCE_SCRIPT = `
local earlier = redis.call('GET', KEYS[2])
if earlier then return {0, earlier} end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
if ARGV[5] then redis.call('PUBLISH', ARGV[5], ARGV[6]) end
return {1, redis.call('ZCARD', KEYS[1])}`;

const APPEND_ONCE_SHA = sha1(APPEND_ONCE_SCRIPT);

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

  async appendOnce(
    roomId: string,
    encoded: string,
    score: number,
    alsoPublish: ExtraPublish | null,
    once: SendOnce,
  ): Promise<{ stored: true; roomSize: number } | { stored: false; messageId: string }> {
    // The check and the store in one script on the room's slot: two instances given the same
    // retry at once cannot both store it, and it still costs one round trip.
    const reply = (await runScript(this.redis, APPEND_ONCE_SCRIPT, APPEND_ONCE_SHA, {
      keys: [roomKey(roomId), sentClientIdKey(roomId, once.authorId, once.clientId)],
      arguments: [
        String(score),
        encoded,
        once.messageId,
        String(once.retryWindowMs),
        ...(alsoPublish ? [alsoPublish.channel, alsoPublish.message] : []),
      ],
    })) as [number, number | string];
    return Number(reply[0]) === 1
      ? { stored: true, roomSize: Number(reply[1]) }
      : { stored: false, messageId: String(reply[1]) };
  }

  async readNewestFirst(roomId: string, offset: number, size: number): Promise<StoredMessage[]> {
    const rows = await this.redis.zRangeWithScores(roomKey(roomId), offset, offset + size - 1, {
      REV: true,
    });
    return rows.map(({ value, score }) => ({ raw: value, score }));
  }

  async readFromScore(
    roomId: string,
    minScore: number,
    size: number,
    skip = 0,
  ): Promise<StoredMessage[]> {
    const from = Number.isFinite(minScore) ? minScore : '-inf';
    const rows = await this.redis.zRangeWithScores(roomKey(roomId), from, '+inf', {
      BY: 'SCORE',
      LIMIT: { offset: skip, count: size },
    });
    return rows.map(({ value, score }) => ({ raw: value, score }));
  }

  async readToScore(roomId: string, maxScore: number, size: number): Promise<StoredMessage[]> {
    const rows = await this.redis.zRangeWithScores(roomKey(roomId), maxScore, '-inf', {
      BY: 'SCORE',
      REV: true,
      LIMIT: { offset: 0, count: size },
    });
    return rows.map(({ value, score }) => ({ raw: value, score }));
  }

  async newestMessages(roomIds: string[]): Promise<(StoredMessage | null)[]> {
    // One script over every room (per room on a cluster): a user may be in 1,000 rooms.
    const rows = (await readEach(this.redis, roomIds.map(roomKey), 'ZRANGE', [
      '-1',
      '-1',
      'WITHSCORES',
    ])) as ([string, string] | [])[];
    return rows.map(([raw, score]) => (raw === undefined ? null : { raw, score: Number(score) }));
  }

  count(roomId: string): Promise<number> {
    return this.redis.zCard(roomKey(roomId));
  }

  async remove(roomId: string, stored: StoredMessage[]): Promise<number> {
    if (stored.length === 0) return 0;
    return this.redis.zRem(
      roomKey(roomId),
      stored.map((message) => message.raw),
    );
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

const COUNT_SEND_SHA = sha1(COUNT_SEND_SCRIPT);

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
    const reply = await runScript(this.redis, COUNT_SEND_SCRIPT, COUNT_SEND_SHA, options);
    const [allowed, waitMs] = (reply as [number, number]).map(Number) as [number, number];
    return allowed === 1 ? { allowed: true } : { allowed: false, retryAfterS: secondsFrom(waitMs) };
  }
}
