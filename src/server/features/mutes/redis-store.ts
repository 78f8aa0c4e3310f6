/** Mutes on Redis: `user:{id}:muted`, a set of room ids; a change and the list are one MULTI. */
import type { RedisClient } from '../../kernel/redis/client.js';
import { userMutedRoomsKey } from '../../kernel/redis/keys.js';
import type { MuteStore } from './ports.js';

export class RedisMuteStore implements MuteStore {
  constructor(private readonly redis: RedisClient) {}

  list(userId: string): Promise<string[]> {
    return this.redis.sMembers(userMutedRoomsKey(userId));
  }

  async set(userId: string, roomId: string, muted: boolean) {
    const key = userMutedRoomsKey(userId);
    const transaction = this.redis.multi();
    if (muted) transaction.sAdd(key, roomId);
    else transaction.sRem(key, roomId);
    const [changed, roomIds] = (await transaction.sMembers(key).exec()) as unknown as [
      number,
      string[],
    ];
    return { roomIds, changed: Number(changed) === 1 };
  }
}
