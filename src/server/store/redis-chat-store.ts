/**
 * The chat's data on Redis, in the seed's data model (see keys.ts). Each method is a few commands
 * issued together so node-redis sends them in one round trip; nothing here is a transaction over
 * keys in different hash slots, so the same code can run against a Redis Cluster.
 */
import type { StoredMessage } from '../domain/message-codec.js';
import type {
  ExtraPublish,
  MessageStore,
  PresenceStore,
  RoomStore,
  StoredUser,
  UserStore,
} from '../domain/ports.js';
import {
  onlineUsersKey,
  roomKey,
  roomNameKey,
  totalUsersKey,
  userKey,
  userRoomsKey,
  usernameKey,
} from '../kernel/redis/keys.js';
import type { RedisClient } from '../kernel/redis/client.js';

/** The seed stores `user:{id}` under username:{name}; its README also shows a bare id. */
const userIdFromLookup = (value: string) => value.replace(/^user:/, '');

export class RedisChatStore implements UserStore, RoomStore, MessageStore, PresenceStore {
  constructor(private readonly redis: RedisClient) {}

  // --- users ---------------------------------------------------------------------------------

  async findUserByName(username: string): Promise<StoredUser | null> {
    const id = await this.idOfUsername(username);
    if (!id) return null;
    const [storedName, passwordHash] = await this.redis.hmGet(userKey(id), [
      'username',
      'password',
    ]);
    if (!passwordHash) return null;
    return { id, username: storedName ?? username, passwordHash };
  }

  async insertUser(username: string, passwordHash: string): Promise<StoredUser | null> {
    const id = String(await this.redis.incr(totalUsersKey()));
    // The hash is written before the name points at it, so a reader never finds half a user.
    await this.redis.hSet(userKey(id), { username, password: passwordHash });
    const claimed = await this.redis.set(usernameKey(username), userKey(id), { condition: 'NX' });
    if (claimed === null) {
      await this.redis.del(userKey(id)); // lost the race for this name; the id stays unused
      return null;
    }
    await this.redis.sAdd(userRoomsKey(id), '0');
    return { id, username, passwordHash };
  }

  async usernames(userIds: string[]): Promise<(string | null)[]> {
    if (userIds.length === 0) return [];
    return Promise.all(userIds.map((id) => this.redis.hGet(userKey(id), 'username')));
  }

  async idOfUsername(username: string): Promise<string | null> {
    const lookup = await this.redis.get(usernameKey(username));
    return lookup ? userIdFromLookup(lookup) : null;
  }

  async firstUserIds(limit: number): Promise<string[]> {
    const total = Number((await this.redis.get(totalUsersKey())) ?? 0);
    return Array.from({ length: Math.min(total, limit) }, (_, i) => String(i + 1));
  }

  // --- rooms ---------------------------------------------------------------------------------

  roomIdsOf(userId: string): Promise<string[]> {
    return this.redis.sMembers(userRoomsKey(userId));
  }

  async isRoomMember(userId: string, roomId: string): Promise<boolean> {
    return (await this.redis.sIsMember(userRoomsKey(userId), roomId)) === 1;
  }

  async roomNames(roomIds: string[]): Promise<(string | null)[]> {
    if (roomIds.length === 0) return [];
    return Promise.all(roomIds.map((id) => this.redis.get(roomNameKey(id))));
  }

  async addPrivateRoom(roomId: string, userA: string, userB: string): Promise<void> {
    await Promise.all([
      this.redis.sAdd(userRoomsKey(userA), roomId),
      this.redis.sAdd(userRoomsKey(userB), roomId),
    ]);
  }

  // --- messages ------------------------------------------------------------------------------

  async appendMessage(
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

  // --- presence (reads; writes live in presence-store.ts) ------------------------------------

  onlineUserIds(): Promise<string[]> {
    return this.redis.sMembers(onlineUsersKey());
  }

  async areOnline(userIds: string[]): Promise<boolean[]> {
    if (userIds.length === 0) return [];
    const flags = await this.redis.smIsMember(onlineUsersKey(), userIds);
    return flags.map((flag) => flag === 1);
  }
}
