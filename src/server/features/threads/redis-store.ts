/**
 * Threads on Redis. `{room:<id>}:thread:<messageId>` is a sorted set of the ids of a thread's
 * replies, scored like the messages in `room:<id>`; `{room:<id>}:threads` is a hash of each
 * thread's summary (`{count, last}`), so that a page of history learns its threads with one
 * HMGET. Both carry the room's key as their hash tag and share its slot: adding a reply is one
 * script over both keys, and a page's summaries one command.
 */
import type { RedisClient } from '../../kernel/redis/client.js';
import { roomThreadsKey, threadRepliesKey } from '../../kernel/redis/keys.js';
import type { ListedReply, StoredSummary, ThreadStore } from './ports.js';

/**
 * KEYS: the thread's replies, the room's summaries. ARGV: first message id, reply id, score.
 * Answers {count, id of the newest reply}. Adding a reply twice changes nothing.
 */
const ADD_REPLY_SCRIPT = `
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[2])
local count = redis.call('ZCARD', KEYS[1])
local last = redis.call('ZRANGE', KEYS[1], -1, -1)[1]
redis.call('HSET', KEYS[2], ARGV[1], cjson.encode({count = count, last = last}))
return {count, last}`;

/** A summary as stored; null for a field that is not one (never written by anyone else). */
function summaryOf(raw: string | null | undefined): StoredSummary | null {
  if (!raw) return null;
  try {
    const { count, last } = JSON.parse(raw) as { count?: unknown; last?: unknown };
    return typeof count === 'number' && count > 0 && typeof last === 'string'
      ? { count, lastReplyId: last }
      : null;
  } catch {
    return null;
  }
}

export class RedisThreadStore implements ThreadStore {
  constructor(private readonly redis: RedisClient) {}

  async addReply(roomId: string, parentId: string, replyId: string, score: number) {
    const [count, last] = (await this.redis.eval(ADD_REPLY_SCRIPT, {
      keys: [threadRepliesKey(roomId, parentId), roomThreadsKey(roomId)],
      arguments: [parentId, replyId, String(score)],
    })) as [number, string];
    return { count: Number(count), lastReplyId: String(last) };
  }

  async forget(roomId: string, messageIds: string[]): Promise<void> {
    if (messageIds.length === 0) return;
    // Every key carries the room's hash tag: one slot, one transaction.
    await this.redis
      .multi()
      .del(messageIds.map((id) => threadRepliesKey(roomId, id)))
      .hDel(roomThreadsKey(roomId), messageIds)
      .exec();
  }

  count(roomId: string, parentId: string): Promise<number> {
    return this.redis.zCard(threadRepliesKey(roomId, parentId));
  }

  async summaries(roomId: string, messageIds: string[]): Promise<(StoredSummary | null)[]> {
    const raw = await this.redis.hmGet(roomThreadsKey(roomId), messageIds);
    return raw.map((value) => summaryOf(value));
  }

  async replies(
    roomId: string,
    parentId: string,
    maxScore: number | null,
    size: number,
  ): Promise<ListedReply[]> {
    const rows = await this.redis.zRangeWithScores(
      threadRepliesKey(roomId, parentId),
      maxScore === null ? '+inf' : maxScore,
      '-inf',
      { BY: 'SCORE', REV: true, LIMIT: { offset: 0, count: size } },
    );
    return rows.map(({ value, score }) => ({ id: value, score }));
  }
}
