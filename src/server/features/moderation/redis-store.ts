/** Bans on Redis: `banned_users`, a set of user ids (one key, so one hash slot per command). */
import type { RedisClient } from '../../kernel/redis/client.js';
import { bannedUsersKey } from '../../kernel/redis/keys.js';
import type { BanStore } from './ports.js';

export class RedisBanStore implements BanStore {
  constructor(private readonly redis: RedisClient) {}

  async ban(userId: string): Promise<boolean> {
    return (await this.redis.sAdd(bannedUsersKey(), userId)) === 1;
  }

  async unban(userId: string): Promise<boolean> {
    return (await this.redis.sRem(bannedUsersKey(), userId)) === 1;
  }

  async isBanned(userId: string): Promise<boolean> {
    return (await this.redis.sIsMember(bannedUsersKey(), userId)) === 1;
  }

  bannedUserIds(): Promise<string[]> {
    return this.redis.sMembers(bannedUsersKey());
  }
}
