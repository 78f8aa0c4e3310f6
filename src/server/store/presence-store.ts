/**
 * Who is online, across every instance. A user's live connections are members
 * `{serverId}:{socketId}` of one sorted set; they are online while it is not empty. The seed's
 * `online_users` set is kept in step for the seed's readers. Instances announce themselves with a
 * heartbeat so that, when one dies without closing its sockets, the others can remove its
 * connections and tell everyone who went offline.
 */
import {
  instanceCleanupLockKey,
  instanceUsersKey,
  instancesKey,
  onlineUsersKey,
  userConnectionsKey,
} from './keys.js';
import type { RedisClient } from './redis-client.js';

const CLEANUP_LOCK_TTL_S = 60;

export class RedisPresenceStore {
  constructor(
    private readonly redis: RedisClient,
    readonly serverId: string,
  ) {}

  /** Records a connection; true when it is the user's first one (they just came online). */
  async addConnection(userId: string, socketId: string): Promise<boolean> {
    const key = userConnectionsKey(userId);
    const [, count] = await this.redis
      .multi()
      .zAdd(key, { score: Date.now(), value: `${this.serverId}:${socketId}` })
      .zCard(key)
      .exec();
    await Promise.all([
      this.redis.sAdd(onlineUsersKey(), userId),
      this.redis.sAdd(instanceUsersKey(this.serverId), userId),
    ]);
    return Number(count) === 1;
  }

  /** Forgets a connection; true when it was the user's last one (they just went offline). */
  async removeConnection(userId: string, socketId: string): Promise<boolean> {
    const key = userConnectionsKey(userId);
    const [, count] = await this.redis
      .multi()
      .zRem(key, `${this.serverId}:${socketId}`)
      .zCard(key)
      .exec();
    if (Number(count) > 0) return false;
    return this.markOfflineUnlessReconnected(userId);
  }

  /** Every instance calls this every few seconds. */
  async heartbeat(): Promise<void> {
    await this.redis.zAdd(instancesKey(), { score: Date.now(), value: this.serverId });
  }

  /** Instances whose last heartbeat is older than the timeout. */
  async silentInstances(timeoutMs: number): Promise<string[]> {
    const ids = await this.redis.zRangeByScore(instancesKey(), '-inf', Date.now() - timeoutMs);
    return ids.filter((id) => id !== this.serverId);
  }

  /**
   * Removes every connection an instance held. One survivor does it (a lock), and it answers the
   * users who went offline so that it alone announces them.
   */
  async removeInstance(serverId: string): Promise<string[]> {
    const locked = await this.redis.set(instanceCleanupLockKey(serverId), this.serverId, {
      condition: 'NX',
      expiration: { type: 'EX', value: CLEANUP_LOCK_TTL_S },
    });
    if (locked === null) return [];

    const prefix = `${serverId}:`;
    const offline: string[] = [];
    for (const userId of await this.redis.sMembers(instanceUsersKey(serverId))) {
      const key = userConnectionsKey(userId);
      const stale = (await this.redis.zRange(key, 0, -1)).filter((m) => m.startsWith(prefix));
      if (stale.length > 0) await this.redis.zRem(key, stale);
      if (
        (await this.redis.zCard(key)) === 0 &&
        (await this.markOfflineUnlessReconnected(userId))
      ) {
        offline.push(userId);
      }
    }
    await Promise.all([
      this.redis.del(instanceUsersKey(serverId)),
      this.redis.zRem(instancesKey(), serverId),
    ]);
    return offline;
  }

  /**
   * Takes the user out of online_users, then looks again: a connection that arrived on another
   * instance in between must not be left looking offline.
   */
  private async markOfflineUnlessReconnected(userId: string): Promise<boolean> {
    await this.redis.sRem(onlineUsersKey(), userId);
    if ((await this.redis.zCard(userConnectionsKey(userId))) === 0) return true;
    await this.redis.sAdd(onlineUsersKey(), userId);
    return false;
  }
}
