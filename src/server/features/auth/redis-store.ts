/**
 * Users on Redis, in the seed's data model: `total_users` hands out ids, `user:{id}` holds the
 * name and bcrypt hash, `username:{name}` points at `user:{id}`. This project adds
 * `username_lower:{name}`, which makes names unique ignoring case, and a `must_change_password`
 * field in `user:{id}` (the seed's servers ignore it), set in the same command as the hash.
 */
import type { RedisClient } from '../../kernel/redis/client.js';
import {
  totalUsersKey,
  userKey,
  userRoomsKey,
  usernameKey,
  usernameLowerKey,
  usernameLowerProgressKey,
} from '../../kernel/redis/keys.js';
import { readEach } from '../../kernel/redis/scripts.js';
import type { StoredUser, UserStore } from './ports.js';

/** The seed stores `user:{id}` under username:{name}; its README also shows a bare id. */
const userIdFromLookup = (value: string) => value.replace(/^user:/, '');

const MUST_CHANGE_FIELD = 'must_change_password';

/** Users indexed per round trip when the case-insensitive index is filled in at start-up. */
const INDEX_BATCH = 500;

export class RedisUserStore implements UserStore {
  constructor(private readonly redis: RedisClient) {}

  async findUserByName(username: string): Promise<StoredUser | null> {
    const id = await this.idOfUsername(username);
    if (!id) return null;
    const [storedName, passwordHash, mustChange] = await this.redis.hmGet(userKey(id), [
      'username',
      'password',
      MUST_CHANGE_FIELD,
    ]);
    if (!passwordHash) return null;
    return { id, username: storedName ?? username, passwordHash, mustChangePassword: !!mustChange };
  }

  async insertUser(username: string, passwordHash: string): Promise<StoredUser | null> {
    const id = String(await this.redis.incr(totalUsersKey()));
    // The hash is written before a name points at it, so a reader never finds half a user.
    await this.redis.hSet(userKey(id), { username, password: passwordHash });
    // The name ignoring case is claimed first: of two registrations of "pablo" and "Pablo",
    // one wins. The exact name is claimed too, for the seed's servers, which look it up so.
    const folded = await this.redis.set(usernameLowerKey(username), userKey(id), {
      condition: 'NX',
    });
    const exact =
      folded === null
        ? null
        : await this.redis.set(usernameKey(username), userKey(id), { condition: 'NX' });
    if (exact === null) {
      // Lost the race for this name (the id stays unused), or an older user holds the exact
      // name without being indexed yet: nothing of this registration stays.
      await Promise.all([
        folded === null ? null : this.redis.del(usernameLowerKey(username)),
        this.redis.del(userKey(id)),
      ]);
      return null;
    }
    // Every user is in General, as the seed's servers record it.
    await this.redis.sAdd(userRoomsKey(id), '0');
    return { id, username, passwordHash, mustChangePassword: false };
  }

  async setPasswordHash(userId: string, passwordHash: string, mustChange = false): Promise<void> {
    const key = userKey(userId);
    if (mustChange) {
      await this.redis.hSet(key, { password: passwordHash, [MUST_CHANGE_FIELD]: '1' });
      return;
    }
    // One key, so one transaction on a cluster too: the new hash never keeps an old mark.
    await this.redis
      .multi()
      .hSet(key, 'password', passwordHash)
      .hDel(key, MUST_CHANGE_FIELD)
      .exec();
  }

  async mustChangePassword(userId: string): Promise<boolean> {
    return (await this.redis.hExists(userKey(userId), MUST_CHANGE_FIELD)) === 1;
  }

  passwordHashOf(userId: string): Promise<string | null> {
    return this.redis.hGet(userKey(userId), 'password');
  }

  async usernames(userIds: string[]): Promise<(string | null)[]> {
    // One script for all of them (per user on a cluster): room lists and member lists are long.
    return (await readEach(this.redis, userIds.map(userKey), 'HGET', ['username'])) as (
      string | null
    )[];
  }

  async idOfUsername(username: string): Promise<string | null> {
    const lookup =
      (await this.redis.get(usernameKey(username))) ??
      (await this.redis.get(usernameLowerKey(username)));
    return lookup ? userIdFromLookup(lookup) : null;
  }

  async firstUserIds(limit: number): Promise<string[]> {
    const total = Number((await this.redis.get(totalUsersKey())) ?? 0);
    return Array.from({ length: Math.min(total, limit) }, (_, i) => String(i + 1));
  }

  /**
   * Fills in the case-insensitive index for users registered before it existed or by the
   * seed's servers. Where two older names differ by case only, the older user holds the
   * lower-cased one; the other still signs in by its exact name.
   */
  async indexUsernames(): Promise<void> {
    const [totalValue, doneValue] = await Promise.all([
      this.redis.get(totalUsersKey()),
      this.redis.get(usernameLowerProgressKey()),
    ]);
    const total = Number(totalValue ?? 0);
    for (let first = Number(doneValue ?? 0) + 1; first <= total; first += INDEX_BATCH) {
      const ids = Array.from({ length: Math.min(INDEX_BATCH, total - first + 1) }, (_, i) =>
        String(first + i),
      );
      const names = await this.usernames(ids);
      await Promise.all(
        ids.map((id, i) => {
          const name = names[i];
          return name
            ? this.redis.set(usernameLowerKey(name), userKey(id), { condition: 'NX' })
            : null;
        }),
      );
      await this.redis.set(usernameLowerProgressKey(), String(first + ids.length - 1));
    }
  }
}
