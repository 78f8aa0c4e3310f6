/**
 * Rooms on Redis. Membership is the seed's: `user:{id}:rooms` lists a user's rooms and a named
 * room has `room:{id}:name`. A group room adds a members set, an info hash, a case-insensitive
 * name index and, when public, an entry in the directory. Each method issues its commands
 * together (one round trip) and none spans hash slots, so a Redis Cluster stays possible; reads
 * over many rooms are one command for all of them (kernel/redis/scripts.ts).
 */
import type { RoomVisibility } from '../../../protocol/models.js';
import type { RedisClient } from '../../kernel/redis/client.js';
import {
  directoryBuiltKey,
  directoryNamesKey,
  directoryWordsKey,
  publicRoomsKey,
  roomInfoKey,
  roomMembersKey,
  roomKey,
  roomKeyPatterns,
  roomNameIndexKey,
  roomLeftKey,
  roomNameKey,
  totalRoomsKey,
  userRoomsKey,
} from '../../kernel/redis/keys.js';
import { scanKeys } from '../../kernel/redis/scan.js';
import { readAcrossSlots, readEach } from '../../kernel/redis/scripts.js';
import type {
  DirectoryStore,
  GroupRoomInfo,
  GroupStore,
  InviteCooldowns,
  RoomStore,
} from './ports.js';

/** Public rooms read per step while the directory's index is built. */
const BUILD_BATCH = 200;
/** The highest code point: every text with a prefix sorts before the prefix followed by it. */
const AFTER_EVERY_TEXT = '\u{10FFFF}';

export class RedisRoomStore implements RoomStore, GroupStore, DirectoryStore {
  constructor(private readonly redis: RedisClient) {}

  // --- every room ----------------------------------------------------------------------------

  roomIdsOf(userId: string): Promise<string[]> {
    return this.redis.sMembers(userRoomsKey(userId));
  }

  async isRoomMember(userId: string, roomId: string): Promise<boolean> {
    return (await this.redis.sIsMember(userRoomsKey(userId), roomId)) === 1;
  }

  async areRoomMember(userId: string, roomIds: string[]): Promise<boolean[]> {
    if (roomIds.length === 0) return [];
    return (await this.redis.smIsMember(userRoomsKey(userId), roomIds)).map((flag) => flag === 1);
  }

  roomNames(roomIds: string[]): Promise<(string | null)[]> {
    return readAcrossSlots(this.redis, roomIds.map(roomNameKey), (keys) => this.redis.mGet(keys));
  }

  async addPrivateRoom(roomId: string, userA: string, userB: string): Promise<void> {
    await Promise.all([
      this.redis.sAdd(userRoomsKey(userA), roomId),
      this.redis.sAdd(userRoomsKey(userB), roomId),
    ]);
  }

  // --- group rooms ---------------------------------------------------------------------------

  async createGroupRoom(
    name: string,
    skeleton: string,
    visibility: RoomVisibility,
    creatorId: string,
  ): Promise<string | null> {
    if (visibility === 'private') {
      if ((await this.redis.exists(roomNameIndexKey(skeleton))) === 1) return null;
    }
    const roomId = String(await this.redis.incr(totalRoomsKey()));
    if (visibility === 'public') {
      const claimed = await this.redis.set(roomNameIndexKey(skeleton), roomId, {
        condition: 'NX',
      });
      if (claimed === null) return null; // the id stays unused, like a lost registration race
    }
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

  async visibilities(roomIds: string[]): Promise<(RoomVisibility | null)[]> {
    const replies = await readEach(this.redis, roomIds.map(roomInfoKey), 'HGET', ['visibility']);
    return replies.map((visibility) =>
      visibility === 'public' || visibility === 'private' ? visibility : null,
    );
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
    ]);
    return removed === 1;
  }

  members(roomId: string): Promise<string[]> {
    return this.redis.sMembers(roomMembersKey(roomId));
  }

  async isMember(roomId: string, userId: string): Promise<boolean> {
    return (await this.redis.sIsMember(roomMembersKey(roomId), userId)) === 1;
  }

  async memberCounts(roomIds: string[]): Promise<number[]> {
    return (await readEach(this.redis, roomIds.map(roomMembersKey), 'SCARD')).map(Number);
  }

  async forgetGroup(roomId: string, skeleton: string): Promise<void> {
    const claim = roomNameIndexKey(skeleton);
    const claimedBy = await this.redis.get(claim);
    await Promise.all([
      this.redis.del(roomInfoKey(roomId)),
      this.redis.del(roomMembersKey(roomId)),
      // Another room may hold the skeleton now (rooms made before private rooms stopped claiming).
      claimedBy === roomId ? this.redis.del(claim) : null,
    ]);
  }

  async purgeKeys(roomId: string): Promise<number> {
    let deleted = await this.redis.del(roomKey(roomId));
    const { spread, inRoomSlot } = roomKeyPatterns(roomId);
    // `room:<id>:*` spreads over a cluster's slots, so every master is scanned; the
    // `{room:<id>}:*` keys share the room's slot, so only its master is. A key is deleted on its
    // own (a DEL of several keys must stay in one slot).
    for (const options of [
      { match: spread },
      { match: inRoomSlot.match, inSlotOf: inRoomSlot.slotOf },
    ]) {
      for await (const keys of scanKeys(this.redis, options)) {
        const others = keys.filter((key) => key !== roomNameKey(roomId));
        const counts = await Promise.all(others.map((key) => this.redis.del(key)));
        deleted += counts.reduce((sum, count) => sum + count, 0);
      }
    }
    return deleted + (await this.redis.del(roomNameKey(roomId)));
  }

  // --- the directory's index -----------------------------------------------------------------

  async list(entries: { name: string; words: string[] }): Promise<void> {
    const entry = (value: string) => ({ score: 0, value });
    await Promise.all([
      this.redis.zAdd(directoryNamesKey(), entry(entries.name)),
      this.redis.zAdd(directoryWordsKey(), entries.words.map(entry)),
    ]);
  }

  range(
    list: 'names' | 'words',
    prefix: string,
    after: string | null,
    count: number,
  ): Promise<string[]> {
    const key = list === 'names' ? directoryNamesKey() : directoryWordsKey();
    const min = after === null ? `[${prefix}` : `(${after}`;
    return this.redis.zRangeByLex(key, min, `[${prefix}${AFTER_EVERY_TEXT}`, {
      LIMIT: { offset: 0, count },
    });
  }

  async unlist(roomId: string, entries: { name: string; words: string[] }): Promise<void> {
    await Promise.all([
      this.redis.sRem(publicRoomsKey(), roomId),
      this.redis.zRem(directoryNamesKey(), entries.name),
      this.redis.zRem(directoryWordsKey(), entries.words),
    ]);
  }

  async isBuilt(): Promise<boolean> {
    return (await this.redis.exists(directoryBuiltKey())) === 1;
  }

  async markBuilt(): Promise<void> {
    await this.redis.set(directoryBuiltKey(), String(Date.now()));
  }

  async *publicRooms(): AsyncIterable<GroupRoomInfo[]> {
    let cursor = '0';
    do {
      const scanned = await this.redis.sScan(publicRoomsKey(), cursor, { COUNT: BUILD_BATCH });
      cursor = scanned.cursor;
      const infos = await Promise.all(scanned.members.map((id) => this.groupInfo(id)));
      yield infos.filter((info): info is GroupRoomInfo => info?.visibility === 'public');
    } while (cursor !== '0');
  }
}

/** Cooldowns as expiring keys, one per (room, user): they lapse by themselves. */
export class RedisInviteCooldowns implements InviteCooldowns {
  constructor(
    private readonly redis: RedisClient,
    private readonly cooldownS: number,
  ) {}

  async start(roomId: string, userId: string): Promise<void> {
    if (this.cooldownS === 0) return;
    await this.redis.set(roomLeftKey(roomId, userId), '1', {
      expiration: { type: 'EX', value: this.cooldownS },
    });
  }

  async secondsLeft(roomId: string, userId: string): Promise<number> {
    if (this.cooldownS === 0) return 0;
    return Math.max(0, await this.redis.ttl(roomLeftKey(roomId, userId)));
  }

  async end(roomId: string, userId: string): Promise<void> {
    if (this.cooldownS === 0) return;
    await this.redis.del(roomLeftKey(roomId, userId));
  }
}
