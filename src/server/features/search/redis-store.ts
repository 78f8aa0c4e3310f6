/**
 * The search index on plain Redis structures: per room and term, a sorted set of the ids of the
 * room's messages containing the term, scored like the messages (`{room:<id>}:search:<term>`).
 * Every key of a room's index carries the hash tag `{room:<id>}`, which hashes like the room's
 * own `room:<id>`: indexing a message is one script, unindexing one MULTI and a search of one room
 * one script, each on one slot, and the search reads the matching messages from `room:<id>` in the
 * same call.
 */
import type { RedisClient } from '../../kernel/redis/client.js';
import { decodeMessage } from '../messages/index.js';
import { roomKey, searchTermKey } from '../../kernel/redis/keys.js';
import { runScript, sha1 } from '../../kernel/redis/scripts.js';
import type { IndexedHit, RoomScan, SearchCursor, SearchIndex } from './ports.js';

/**
 * KEYS: room:<id>, then one index key per term. ARGV: max score ('+inf' for the newest), the id
 * the page starts before ('' for none), hit limit, budget of entries to look at.
 *
 * Walks the smallest of the term sets newest first, keeps the ids found in every other set, and
 * answers {stopped (0|1), last id looked at, its score, {{id, score, {members of that score}}…}}.
 * Entries with the cursor's score are in id order too (ZRANGE REV sorts ties by member,
 * descending), so "before" is exact even when two messages share a microsecond.
 */
const SCAN_SCRIPT = `
local driver, smallest = 2, redis.call('ZCARD', KEYS[2])
for i = 3, #KEYS do
  local size = redis.call('ZCARD', KEYS[i])
  if size < smallest then driver, smallest = i, size end
end
local hits, found, looked, offset = {}, 0, 0, 0
local limit, budget = tonumber(ARGV[3]), tonumber(ARGV[4])
local beforeId = ARGV[2]
local beforeScore = beforeId ~= '' and tonumber(ARGV[1]) or nil
if smallest == 0 then return {0, '', '', hits} end
while true do
  local rows = redis.call('ZRANGE', KEYS[driver], ARGV[1], '-inf', 'BYSCORE', 'REV',
    'LIMIT', offset, 200, 'WITHSCORES')
  if #rows == 0 then return {0, '', '', hits} end
  offset = offset + #rows / 2
  for j = 1, #rows, 2 do
    local id, score = rows[j], rows[j + 1]
    if not (beforeScore and tonumber(score) == beforeScore and id >= beforeId) then
      looked = looked + 1
      local all = true
      for i = 2, #KEYS do
        if i ~= driver and not redis.call('ZSCORE', KEYS[i], id) then
          all = false
          break
        end
      end
      if all then
        found = found + 1
        hits[found] = {id, score, redis.call('ZRANGE', KEYS[1], score, score, 'BYSCORE')}
      end
      if found >= limit or looked >= budget then return {1, id, score, hits} end
    end
  end
end`;

const SCAN_SHA = sha1(SCAN_SCRIPT);

/**
 * KEYS: the index keys of a message's terms (one room: one slot). ARGV: score, message id.
 * One command for the whole message: as a MULTI of one ZADD per term, a message of five words was
 * seven commands and seven replies for node-redis to encode, queue and parse — about 5 µs more of
 * the server's CPU per message than this script (11.7 against 6.9 µs per call, measured apart on
 * this project's 2-core machine), and more for longer messages.
 */
const ADD_SCRIPT = `
for i = 1, #KEYS do redis.call('ZADD', KEYS[i], ARGV[1], ARGV[2]) end
return #KEYS`;

const ADD_SHA = sha1(ADD_SCRIPT);

type ScanReply = [number, string, string, [string, string, string[]][]];

export class RedisSearchIndex implements SearchIndex {
  constructor(private readonly redis: RedisClient) {}

  async add(roomId: string, messageId: string, score: number, terms: string[]) {
    await runScript(this.redis, ADD_SCRIPT, ADD_SHA, {
      keys: terms.map((term) => searchTermKey(roomId, term)),
      arguments: [String(score), messageId],
    });
  }

  async remove(roomId: string, messageId: string, terms: string[]) {
    const transaction = this.redis.multi();
    for (const term of terms) transaction.zRem(searchTermKey(roomId, term), messageId);
    await transaction.exec();
  }

  async scanRoom(
    roomId: string,
    terms: string[],
    before: SearchCursor | null,
    limit: number,
    budget: number,
  ): Promise<RoomScan> {
    const options = {
      keys: [roomKey(roomId), ...terms.map((term) => searchTermKey(roomId, term))],
      arguments: [
        before ? String(before.score) : '+inf',
        before?.id ?? '',
        String(limit),
        String(budget),
      ],
    };
    const reply = (await runScript(this.redis, SCAN_SCRIPT, SCAN_SHA, options)) as ScanReply;
    const [stopped, lastId, lastScore, rows] = reply;
    const hits: IndexedHit[] = rows.map(([id, rawScore, members]) => {
      const score = Number(rawScore);
      // Two instances may have stored a message in the same microsecond: the id tells them apart.
      const message =
        members
          .map((raw) => decodeMessage({ raw, score }, roomId))
          .find((decoded) => decoded?.id === id) ?? null;
      return { id, score, message };
    });
    return {
      hits,
      scannedTo: Number(stopped) === 1 ? { id: lastId, score: Number(lastScore) } : null,
    };
  }
}
