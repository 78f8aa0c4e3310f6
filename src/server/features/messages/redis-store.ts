/**
 * Messages on Redis, in the seed's data model: `room:{id}` is a sorted set of JSON messages
 * scored by their time. Posting is one round trip: a one-key script counts the author's send
 * against the per-user limit and, in the same write, one MULTI on the room's key stores the
 * message (with the extra PUBLISH, un-keyed, when interop supplies one) and the author's read
 * marker leaves too. The store does not wait for the count when this instance's view of the
 * counter says the author is under the limit (RedisSendLimiter.admit); near the limit it does,
 * so a refused send stores nothing.
 *
 * Why not one script for all: the counter, the room and the read markers live in three hash
 * slots, and no command of this project spans slots, so that a Redis Cluster stays possible
 * (docs/multi-instance.md).
 */
import type { RedisClient } from '../../kernel/redis/client.js';
import { roomKey, sentClientIdKey } from '../../kernel/redis/keys.js';
import { readEach, runScript, sha1 } from '../../kernel/redis/scripts.js';
import type { StoredMessage } from './message-codec.js';
import type {
  ExtraPublish,
  MessageSendLimiter,
  MessageStore,
  SendOnce,
  SendOutcome,
} from './ports.js';

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
 * KEYS: counter. ARGV: limit, window ms. Answers {sends counted in this window, this one included;
 * ms until the window ends}. A fixed window (the key rate-limiter-flexible used, `INCR` with an
 * expiry set by the first send of a window), so counters survive a rolling upgrade; a refused
 * send counts too.
 */
const COUNT_SEND_SCRIPT = `
local sent = redis.call('INCR', KEYS[1])
if sent == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {1, tonumber(ARGV[2])}
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {sent, ttl}`;

const COUNT_SEND_SHA = sha1(COUNT_SEND_SCRIPT);

export interface SendLimit {
  /** Prefix of the counters: `{prefix}:{userId}`. */
  keyPrefix: string;
  /** Sends allowed per window. */
  points: number;
  windowMs: number;
}

/** What this instance last learnt of an author's counter, and its own sends not answered yet. */
interface CounterView {
  /** The counter as of the last reply (every instance's sends of this window). */
  count: number;
  /** When that window ends, on this instance's clock (a little late: the reply travelled). */
  windowEndsAt: number;
  inFlight: number;
}

const secondsFrom = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export class RedisSendLimiter implements MessageSendLimiter {
  /**
   * The views of this window and of the one before: a view is of no use a window after its last
   * reply, so swapping the two every window bounds the memory by the authors of two windows.
   */
  private views = new Map<string, CounterView>();
  private olderViews = new Map<string, CounterView>();
  private viewsSwappedAt = performance.now();

  constructor(
    private readonly redis: RedisClient,
    private readonly limit: SendLimit,
  ) {}

  async consume(authorId: string): Promise<SendOutcome> {
    return this.verdict(...(await this.count(authorId)));
  }

  /**
   * Counts one send like consume, but answers `allowed` at once — before the count is back, so
   * that the count and the store leave in one write and cost one round trip — when this
   * instance's view says the author is under the limit: the counter as of the author's last
   * send here, with no other send of theirs still being counted. Otherwise (near the limit, or
   * while another of their sends is being counted) it waits for the count, as consume does.
   *
   * Exact while an author's sends go through one instance. Sends through several instances at
   * once may each be admitted on a view that misses the others' latest sends: at most one send
   * per instance and window beyond the limit, since an instance admits no second send ahead
   * before the first one's count has shown it the counter again.
   */
  admit(authorId: string): SendOutcome | Promise<SendOutcome> {
    const now = performance.now();
    const view = this.viewOf(authorId, now);
    const known = now < view.windowEndsAt ? view.count : 0;
    const ahead = view.inFlight === 0 && known < this.limit.points;
    view.inFlight++;
    const counted = this.count(authorId).then(
      ([count, windowLeftMs]) => {
        view.inFlight--;
        view.count = count;
        view.windowEndsAt = performance.now() + windowLeftMs;
        this.views.set(authorId, view);
        return this.verdict(count, windowLeftMs);
      },
      (error: unknown) => {
        view.inFlight--;
        view.windowEndsAt = 0;
        throw error;
      },
    );
    if (!ahead) return counted;
    // Admitted already: the store's own reply says whether Redis was there.
    counted.catch(() => undefined);
    return { allowed: true };
  }

  private viewOf(authorId: string, now: number): CounterView {
    if (now - this.viewsSwappedAt >= this.limit.windowMs) {
      this.olderViews = this.views;
      this.views = new Map();
      this.viewsSwappedAt = now;
    }
    let view = this.views.get(authorId) ?? this.olderViews.get(authorId);
    if (!view) view = { count: 0, windowEndsAt: 0, inFlight: 0 };
    this.views.set(authorId, view);
    return view;
  }

  private async count(authorId: string): Promise<[number, number]> {
    const options = {
      keys: [`${this.limit.keyPrefix}:${authorId}`],
      arguments: [String(this.limit.points), String(this.limit.windowMs)],
    };
    const reply = await runScript(this.redis, COUNT_SEND_SCRIPT, COUNT_SEND_SHA, options);
    return (reply as [number, number]).map(Number) as [number, number];
  }

  private verdict(count: number, windowLeftMs: number): SendOutcome {
    return count <= this.limit.points
      ? { allowed: true }
      : { allowed: false, retryAfterS: secondsFrom(windowLeftMs) };
  }
}
