/**
 * Reactions on Redis: one hash per message, `{room:<id>}:reactions:<messageId>`, emoji -> JSON
 * array of the reactors' ids. The hash tag is the room's key, so the hash sits in the room's
 * slot. A change is one single-key script: the distinct-emoji cap and the reactor list are read
 * and written atomically, whichever instance two people react on at once. A small hash keeps its
 * fields in insertion order (listpack; 20 fields is far below the conversion threshold), which is
 * the order the emoji were first used.
 */
import type { Reaction } from '../../../protocol/models.js';
import type { RedisClient } from '../../kernel/redis/client.js';
import { messageReactionsKey } from '../../kernel/redis/keys.js';
import type { ReactionChange, ReactionStore } from './ports.js';

/**
 * KEYS: the message's hash. ARGV: user id, emoji, 'add' | 'remove', cap on distinct emoji.
 * Answers {outcome, field, value, field, value, ...}: outcome 1 changed, 0 unchanged, -1 refused
 * by the cap.
 */
const CHANGE_SCRIPT = `
local raw = redis.call('HGET', KEYS[1], ARGV[2])
local users = {}
if raw then users = cjson.decode(raw) end
local at = nil
for i, id in ipairs(users) do
  if id == ARGV[1] then at = i end
end
local outcome = 0
if ARGV[3] == 'add' then
  if not at then
    if not raw and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then return {-1} end
    table.insert(users, ARGV[1])
    outcome = 1
  end
elseif at then
  table.remove(users, at)
  outcome = 1
end
if outcome == 1 then
  if #users == 0 then
    redis.call('HDEL', KEYS[1], ARGV[2])
  else
    redis.call('HSET', KEYS[1], ARGV[2], cjson.encode(users))
  end
end
local answer = redis.call('HGETALL', KEYS[1])
table.insert(answer, 1, outcome)
return answer`;

/** Field/value pairs of the hash as reactions; a field that is not a list of ids is skipped. */
function reactionsOf(pairs: [string, string][]): Reaction[] {
  const reactions: Reaction[] = [];
  for (const [emoji, raw] of pairs) {
    let userIds: unknown;
    try {
      userIds = JSON.parse(raw);
    } catch {
      continue;
    }
    if (
      Array.isArray(userIds) &&
      userIds.length > 0 &&
      userIds.every((id) => typeof id === 'string')
    ) {
      reactions.push({ emoji, userIds: userIds as string[] });
    }
  }
  return reactions;
}

export class RedisReactionStore implements ReactionStore {
  constructor(private readonly redis: RedisClient) {}

  add(roomId: string, messageId: string, userId: string, emoji: string, maxDistinct: number) {
    return this.change(roomId, messageId, [userId, emoji, 'add', String(maxDistinct)]);
  }

  remove(roomId: string, messageId: string, userId: string, emoji: string) {
    return this.change(roomId, messageId, [userId, emoji, 'remove', '0']);
  }

  async forget(roomId: string, messageIds: string[]): Promise<void> {
    // One key per command: each message's hash is its own key (one slot, the room's).
    await Promise.all(messageIds.map((id) => this.redis.del(messageReactionsKey(roomId, id))));
  }

  async read(roomId: string, messageIds: string[]): Promise<Reaction[][]> {
    // One slot for all of them: the commands leave together in one pipeline.
    const hashes = await Promise.all(
      messageIds.map((id) => this.redis.hGetAll(messageReactionsKey(roomId, id))),
    );
    return hashes.map((hash) => reactionsOf(Object.entries(hash)));
  }

  private async change(roomId: string, messageId: string, args: string[]): Promise<ReactionChange> {
    const reply = (await this.redis.eval(CHANGE_SCRIPT, {
      keys: [messageReactionsKey(roomId, messageId)],
      arguments: args,
    })) as unknown[];
    const outcome = Number(reply[0]);
    if (outcome === -1) return { outcome: 'too_many' };
    const pairs: [string, string][] = [];
    for (let i = 1; i + 1 < reply.length; i += 2)
      pairs.push([String(reply[i]), String(reply[i + 1])]);
    return { outcome: outcome === 1 ? 'changed' : 'unchanged', reactions: reactionsOf(pairs) };
  }
}
