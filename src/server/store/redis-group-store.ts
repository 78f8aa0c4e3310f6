/**
 * Group rooms, read markers and mentions on Redis. A group room is a named room in the seed's
 * model (`room:{id}` messages, `room:{id}:name`, listed in its members' `user:{id}:rooms`), plus
 * a members set, an info hash and a case-insensitive name index.
 */
import type { StoredMessage } from '../domain/message-codec.js';
import type { GroupRoomInfo, GroupStore, ReadStore } from '../domain/ports.js';
import type { RoomVisibility } from '../../protocol/models.js';
import {
  publicRoomsKey,
  roomInfoKey,
  roomKey,
  roomMembersKey,
  roomMentionsKey,
  roomNameIndexKey,
  roomNameKey,
  totalRoomsKey,
  userReadMarkersKey,
  userRoomsKey,
} from '../kernel/redis/keys.js';
import type { RedisClient } from '../kernel/redis/client.js';

const SWAP_MEMBER_SCRIPT = `
if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[2])
  return 1
end
return 0`;

export class RedisGroupStore implements GroupStore, ReadStore {
  constructor(private readonly redis: RedisClient) {}

  // --- group rooms ---------------------------------------------------------------------------

  async createGroupRoom(
    name: string,
    visibility: RoomVisibility,
    creatorId: string,
  ): Promise<string | null> {
    const roomId = String(await this.redis.incr(totalRoomsKey()));
    const claimed = await this.redis.set(roomNameIndexKey(name), roomId, { condition: 'NX' });
    if (claimed === null) return null; // the id stays unused, like a lost registration race
    await Promise.all([
      this.redis.hSet(roomInfoKey(roomId), { visibility, createdBy: creatorId }),
      this.redis.set(roomNameKey(roomId), name),
      visibility === 'public' ? this.redis.sAdd(publicRoomsKey(), roomId) : null,
    ]);
    await this.addMember(roomId, creatorId);
    return roomId;
  }

  async groupInfo(roomId: string): Promise<GroupRoomInfo | null> {
    const [name, visibility] = await Promise.all([
      this.redis.get(roomNameKey(roomId)),
      this.redis.hGet(roomInfoKey(roomId), 'visibility'),
    ]);
    if (!name || (visibility !== 'public' && visibility !== 'private')) return null;
    return { id: roomId, name, visibility };
  }

  async addMember(roomId: string, userId: string): Promise<boolean> {
    const [added] = await Promise.all([
      this.redis.sAdd(roomMembersKey(roomId), userId),
      this.redis.sAdd(userRoomsKey(userId), roomId),
    ]);
    return added === 1;
  }

  async removeMember(roomId: string, userId: string): Promise<boolean> {
    const [removed] = await Promise.all([
      this.redis.sRem(roomMembersKey(roomId), userId),
      this.redis.sRem(userRoomsKey(userId), roomId),
      this.redis.hDel(userReadMarkersKey(userId), roomId),
      this.redis.del(roomMentionsKey(roomId, userId)),
    ]);
    return removed === 1;
  }

  members(roomId: string): Promise<string[]> {
    return this.redis.sMembers(roomMembersKey(roomId));
  }

  async isMember(roomId: string, userId: string): Promise<boolean> {
    return (await this.redis.sIsMember(roomMembersKey(roomId), userId)) === 1;
  }

  memberCounts(roomIds: string[]): Promise<number[]> {
    return Promise.all(roomIds.map((id) => this.redis.sCard(roomMembersKey(id))));
  }

  publicRoomIds(): Promise<string[]> {
    return this.redis.sMembers(publicRoomsKey());
  }

  // --- read markers and mentions -------------------------------------------------------------

  async readMarkers(userId: string, roomIds: string[]): Promise<(string | null)[]> {
    if (roomIds.length === 0) return [];
    return this.redis.hmGet(userReadMarkersKey(userId), roomIds);
  }

  async setReadMarker(userId: string, roomId: string, messageId: string): Promise<void> {
    await this.redis.hSet(userReadMarkersKey(userId), roomId, messageId);
  }

  countAfter(roomId: string, score: number): Promise<number> {
    return this.redis.zCount(roomKey(roomId), `(${score}`, '+inf');
  }

  mentionsAfter(roomId: string, userId: string, score: number): Promise<number> {
    return this.redis.zCount(roomMentionsKey(roomId, userId), `(${score}`, '+inf');
  }

  async addMentions(
    roomId: string,
    messageId: string,
    score: number,
    userIds: string[],
  ): Promise<void> {
    await Promise.all(
      userIds.map((id) =>
        this.redis.zAdd(roomMentionsKey(roomId, id), { score, value: messageId }),
      ),
    );
  }

  async removeMentions(roomId: string, messageId: string, userIds: string[]): Promise<void> {
    await Promise.all(userIds.map((id) => this.redis.zRem(roomMentionsKey(roomId, id), messageId)));
  }

  // --- editing stored messages ---------------------------------------------------------------

  async messagesAtScore(roomId: string, score: number): Promise<StoredMessage[]> {
    const rows = await this.redis.zRangeWithScores(roomKey(roomId), score, score, { BY: 'SCORE' });
    return rows.map(({ value, score: s }) => ({ raw: value, score: s }));
  }

  async replaceMessage(roomId: string, previous: StoredMessage, encoded: string): Promise<boolean> {
    // A one-key script swaps the member atomically (and stays single-slot): if another edit got
    // there first, the old member is gone and nothing is written.
    const swapped = await this.redis.eval(SWAP_MEMBER_SCRIPT, {
      keys: [roomKey(roomId)],
      arguments: [previous.raw, encoded, String(previous.score)],
    });
    return Number(swapped) === 1;
  }
}
