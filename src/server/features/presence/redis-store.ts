/**
 * Who is online, across every instance. A user's live connections are members
 * `{serverId}:{socketId}` of one sorted set; they are online while it is not empty. The seed's
 * `online_users` set is kept in step for the seed's readers. Instances announce themselves with a
 * heartbeat so that, when one dies without closing its sockets, the others can remove its
 * connections and tell everyone who went offline.
 *
 * Every command touches one key, and the only transactions (MULTI) are on a single key, so the
 * same code runs against a Redis Cluster.
 */
import {
  instanceCleanupLockKey,
  instanceUsersKey,
  instancesKey,
  offlinePendingKey,
  onlineUsersKey,
  userConnectionsKey,
} from '../../kernel/redis/keys.js';
import type { RedisClient } from '../../kernel/redis/client.js';
import type { PresenceChange, PresenceStore } from './ports.js';

const CLEANUP_LOCK_TTL_S = 60;

export class RedisPresenceStore implements PresenceStore {
  private readonly ownPrefix: string;

  constructor(
    private readonly redis: RedisClient,
    readonly serverId: string,
  ) {
    this.ownPrefix = `${serverId}:`;
  }

  /** Calls back each time the connection to Redis is (re)established. */
  onReconnect(listener: () => void): void {
    this.redis.on('ready', listener);
  }

  /**
   * Records a connection; true when the user just came online. Listed in online_users after the
   * connection is written, so that whoever takes them out again (settleOffline) sees it; only the
   * one whose SADD listed them announces, whichever instance that is.
   */
  async addConnection(userId: string, socketId: string): Promise<boolean> {
    // The instance's user list first: should this process die right after, a survivor still
    // finds the connection and removes it.
    await this.redis.sAdd(instanceUsersKey(this.serverId), userId);
    await this.redis.zAdd(userConnectionsKey(userId), {
      score: Date.now(),
      value: this.ownPrefix + socketId,
    });
    return (await this.redis.sAdd(onlineUsersKey(), userId)) === 1;
  }

  /**
   * Forgets a connection (see the port). A connection that was never recorded changes nothing.
   * The user stays in online_users during the grace: for everyone else they never left.
   */
  async removeConnection(userId: string, socketId: string, graceMs: number): Promise<boolean> {
    const key = userConnectionsKey(userId);
    const [removed, count] = await this.redis
      .multi()
      .zRem(key, this.ownPrefix + socketId)
      .zCard(key)
      .exec();
    if (Number(removed) === 0 || Number(count) > 0) return false;
    if (graceMs > 0) {
      // A later disconnection moves the deadline: the grace runs from the last one.
      await this.redis.zAdd(offlinePendingKey(), { score: Date.now() + graceMs, value: userId });
      return false;
    }
    return this.takeOffline(userId, true);
  }

  dueOffline(nowMs: number, limit: number): Promise<string[]> {
    return this.redis.zRangeByScore(offlinePendingKey(), '-inf', nowMs, {
      LIMIT: { offset: 0, count: limit },
    });
  }

  async settleOffline(userId: string): Promise<boolean> {
    // ZREM is the claim: of the instances that saw the user due, one removes them.
    if ((await this.redis.zRem(offlinePendingKey(), userId)) === 0) return false;
    if ((await this.redis.zCard(userConnectionsKey(userId))) > 0) return false; // came back
    return this.takeOffline(userId, false);
  }

  /**
   * Makes what Redis holds for this instance and user equal to the live sockets: after an outage
   * (a disconnection that could not be written), after Redis lost its data, or after a survivor
   * wrongly took this instance for dead.
   */
  async syncUser(userId: string, socketIds: readonly string[]): Promise<PresenceChange> {
    const key = userConnectionsKey(userId);
    const wanted = new Set(socketIds.map((id) => this.ownPrefix + id));
    const recorded = (await this.redis.zRange(key, 0, -1)).filter((member) =>
      member.startsWith(this.ownPrefix),
    );
    const stale = recorded.filter((member) => !wanted.has(member));

    if (wanted.size > 0) {
      const missing = [...wanted].filter((member) => !recorded.includes(member));
      await this.redis.sAdd(instanceUsersKey(this.serverId), userId);
      if (missing.length > 0) {
        await this.redis.zAdd(
          key,
          missing.map((value) => ({ score: Date.now(), value })),
        );
      }
      if (stale.length > 0) await this.redis.zRem(key, stale);
      // Back in online_users after having been taken out: the others must hear it again.
      return (await this.redis.sAdd(onlineUsersKey(), userId)) === 1 ? 'online' : null;
    }

    const change = await this.removeMembers(userId, stale);
    await this.redis.sRem(instanceUsersKey(this.serverId), userId);
    return change;
  }

  /** Ids of the users online now (the seed's `online_users`). */
  onlineUserIds(): Promise<string[]> {
    return this.redis.sMembers(onlineUsersKey());
  }

  async areOnline(userIds: string[]): Promise<boolean[]> {
    if (userIds.length === 0) return [];
    const flags = await this.redis.smIsMember(onlineUsersKey(), userIds);
    return flags.map((flag) => flag === 1);
  }

  /** Users this instance has recorded connections for (a superset: it is pruned lazily). */
  instanceUserIds(): Promise<string[]> {
    return this.redis.sMembers(instanceUsersKey(this.serverId));
  }

  /** True when the user has a live connection on some other instance. */
  async connectedElsewhere(userId: string): Promise<boolean> {
    const members = await this.redis.zRange(userConnectionsKey(userId), 0, -1);
    return members.some((member) => !member.startsWith(this.ownPrefix));
  }

  /**
   * Every instance calls this every few seconds. True when this instance was missing from the
   * list: Redis lost its data, or a survivor removed it, so its connections must be written again.
   */
  async heartbeat(): Promise<boolean> {
    const added = await this.redis.zAdd(instancesKey(), {
      score: Date.now(),
      value: this.serverId,
    });
    return added === 1;
  }

  /** Other instances whose last heartbeat is older than the timeout. */
  async silentInstances(timeoutMs: number): Promise<string[]> {
    const ids = await this.redis.zRangeByScore(instancesKey(), '-inf', Date.now() - timeoutMs);
    return ids.filter((id) => id !== this.serverId);
  }

  /** One survivor cleans up after a silent instance: true for the one that gets to. */
  async claimSilentInstance(serverId: string): Promise<boolean> {
    const locked = await this.redis.set(instanceCleanupLockKey(serverId), this.serverId, {
      condition: 'NX',
      expiration: { type: 'EX', value: CLEANUP_LOCK_TTL_S },
    });
    return locked !== null;
  }

  /**
   * Removes every connection an instance held and the instance itself; answers the users who
   * went offline, for the caller to announce.
   */
  async removeInstance(serverId: string): Promise<string[]> {
    const prefix = `${serverId}:`;
    const offline: string[] = [];
    for (const userId of await this.redis.sMembers(instanceUsersKey(serverId))) {
      const stale = (await this.redis.zRange(userConnectionsKey(userId), 0, -1)).filter((m) =>
        m.startsWith(prefix),
      );
      if ((await this.removeMembers(userId, stale)) === 'offline') offline.push(userId);
    }
    await this.redis.del(instanceUsersKey(serverId));
    await this.redis.zRem(instancesKey(), serverId);
    return offline;
  }

  /** Removes connections of a user; 'offline' when that left them with none. */
  private async removeMembers(userId: string, members: string[]): Promise<PresenceChange> {
    const key = userConnectionsKey(userId);
    let removed = 0;
    let count: number;
    if (members.length > 0) {
      const [removedReply, countReply] = await this.redis
        .multi()
        .zRem(key, members)
        .zCard(key)
        .exec();
      removed = Number(removedReply);
      count = Number(countReply);
    } else {
      count = await this.redis.zCard(key);
    }
    if (count > 0) return null;
    return (await this.takeOffline(userId, removed > 0)) ? 'offline' : null;
  }

  /**
   * The user has no connection left: takes them out of online_users, then looks again, since a
   * connection may have arrived on another instance in between. True when they are offline and
   * the others must be told (a connection was just removed, or they were still listed online).
   */
  private async takeOffline(userId: string, removedConnection: boolean): Promise<boolean> {
    const unlisted = await this.redis.sRem(onlineUsersKey(), userId);
    if ((await this.redis.zCard(userConnectionsKey(userId))) > 0) {
      await this.redis.sAdd(onlineUsersKey(), userId);
      return false;
    }
    return removedConnection || unlisted === 1;
  }
}
