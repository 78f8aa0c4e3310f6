/**
 * Users on Redis, in the seed's data model: `total_users` hands out ids, `user:{id}` holds the
 * name and bcrypt hash, `username:{name}` points at `user:{id}`.
 */
import type { RedisClient } from '../../kernel/redis/client.js';
import { totalUsersKey, userKey, userRoomsKey, usernameKey } from '../../kernel/redis/keys.js';
import type { StoredUser, UserStore } from './ports.js';

/** The seed stores `user:{id}` under username:{name}; its README also shows a bare id. */
const userIdFromLookup = (value: string) => value.replace(/^user:/, '');

export class RedisUserStore implements UserStore {
  constructor(private readonly redis: RedisClient) {}

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
    // Every user is in General, as the seed's servers record it.
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
}
