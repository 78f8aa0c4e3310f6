/**
 * Read markers on Redis: `user:{id}:read`, a hash of room id -> last message read. Unread counts
 * are counts over the room's sorted set, after the marker's score.
 */
import type { RedisClient } from '../../kernel/redis/client.js';
import { roomKey, userReadMarkersKey } from '../../kernel/redis/keys.js';
import type { ReadMarkerStore } from './ports.js';

export class RedisReadMarkers implements ReadMarkerStore {
  constructor(private readonly redis: RedisClient) {}

  async readMarkers(userId: string, roomIds: string[]): Promise<(string | null)[]> {
    if (roomIds.length === 0) return [];
    return this.redis.hmGet(userReadMarkersKey(userId), roomIds);
  }

  async setReadMarker(userId: string, roomId: string, messageId: string): Promise<void> {
    // Issued at once (no await before it): a caller can send it in the same write as another.
    await this.redis.hSet(userReadMarkersKey(userId), roomId, messageId);
  }

  async forget(userId: string, roomId: string): Promise<void> {
    await this.redis.hDel(userReadMarkersKey(userId), roomId);
  }

  countAfter(roomId: string, score: number): Promise<number> {
    return this.redis.zCount(roomKey(roomId), `(${score}`, '+inf');
  }
}
