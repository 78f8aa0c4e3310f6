/**
 * Presence in memory, with the same meaning as on Redis. Several stores (one per instance) can
 * share one PresenceData, as instances share one Redis.
 */
import type { PresenceChange, PresenceStore, UserNames } from './ports.js';

export class PresenceData {
  /** Per user, their connections `{serverId}:{socketId}`. */
  readonly connections = new Map<string, Set<string>>();
  readonly online = new Set<string>();
  readonly instanceUsers = new Map<string, Set<string>>();
  /** Per instance, its last heartbeat (ms). */
  readonly instances = new Map<string, number>();
  readonly cleanupClaims = new Set<string>();
  /** Per user whose last connection closed, when they go offline unless they come back (ms). */
  readonly offlinePending = new Map<string, number>();
}

export class MemoryPresenceStore implements PresenceStore {
  private readonly ownPrefix: string;

  constructor(
    readonly serverId: string,
    private readonly data = new PresenceData(),
    private readonly now: () => number = Date.now,
  ) {
    this.ownPrefix = `${serverId}:`;
  }

  onReconnect(): void {
    // Memory is never lost.
  }

  async addConnection(userId: string, socketId: string): Promise<boolean> {
    this.usersOf(this.serverId).add(userId);
    this.connectionsOf(userId).add(this.ownPrefix + socketId);
    if (this.data.online.has(userId)) return false;
    this.data.online.add(userId);
    return true;
  }

  async removeConnection(userId: string, socketId: string, graceMs: number): Promise<boolean> {
    const connections = this.connectionsOf(userId);
    if (!connections.delete(this.ownPrefix + socketId) || connections.size > 0) return false;
    if (graceMs > 0) {
      this.data.offlinePending.set(userId, this.now() + graceMs);
      return false;
    }
    return this.takeOffline(userId, true);
  }

  async dueOffline(nowMs: number, limit: number): Promise<string[]> {
    return [...this.data.offlinePending]
      .filter(([, due]) => due <= nowMs)
      .sort(([, a], [, b]) => a - b)
      .slice(0, limit)
      .map(([userId]) => userId);
  }

  async settleOffline(userId: string): Promise<boolean> {
    if (!this.data.offlinePending.delete(userId)) return false;
    if (this.connectionsOf(userId).size > 0) return false;
    return this.takeOffline(userId, false);
  }

  async syncUser(userId: string, socketIds: readonly string[]): Promise<PresenceChange> {
    const connections = this.connectionsOf(userId);
    const wanted = new Set(socketIds.map((id) => this.ownPrefix + id));
    const stale = [...connections].filter((m) => m.startsWith(this.ownPrefix) && !wanted.has(m));
    if (wanted.size > 0) {
      this.usersOf(this.serverId).add(userId);
      for (const member of wanted) connections.add(member);
      for (const member of stale) connections.delete(member);
      if (this.data.online.has(userId)) return null;
      this.data.online.add(userId);
      return 'online';
    }
    const change = this.removeMembers(userId, stale);
    this.usersOf(this.serverId).delete(userId);
    return change;
  }

  async instanceUserIds(): Promise<string[]> {
    return [...this.usersOf(this.serverId)];
  }

  async connectedElsewhere(userId: string): Promise<boolean> {
    return [...this.connectionsOf(userId)].some((m) => !m.startsWith(this.ownPrefix));
  }

  async heartbeat(): Promise<boolean> {
    const missing = !this.data.instances.has(this.serverId);
    this.data.instances.set(this.serverId, this.now());
    return missing;
  }

  async silentInstances(timeoutMs: number): Promise<string[]> {
    return [...this.data.instances]
      .filter(([id, beat]) => id !== this.serverId && beat <= this.now() - timeoutMs)
      .map(([id]) => id);
  }

  async claimSilentInstance(serverId: string): Promise<boolean> {
    if (this.data.cleanupClaims.has(serverId)) return false;
    this.data.cleanupClaims.add(serverId);
    return true;
  }

  async removeInstance(serverId: string): Promise<string[]> {
    const prefix = `${serverId}:`;
    const offline: string[] = [];
    for (const userId of this.usersOf(serverId)) {
      const stale = [...this.connectionsOf(userId)].filter((m) => m.startsWith(prefix));
      if (this.removeMembers(userId, stale) === 'offline') offline.push(userId);
    }
    this.data.instanceUsers.delete(serverId);
    this.data.instances.delete(serverId);
    return offline;
  }

  async onlineUserIds(): Promise<string[]> {
    return [...this.data.online];
  }

  async areOnline(userIds: string[]): Promise<boolean[]> {
    return userIds.map((id) => this.data.online.has(id));
  }

  private removeMembers(userId: string, members: string[]): PresenceChange {
    const connections = this.connectionsOf(userId);
    let removed = 0;
    for (const member of members) if (connections.delete(member)) removed++;
    if (connections.size > 0) return null;
    return this.takeOffline(userId, removed > 0) ? 'offline' : null;
  }

  private takeOffline(userId: string, removedConnection: boolean): boolean {
    const unlisted = this.data.online.delete(userId);
    return removedConnection || unlisted;
  }

  private connectionsOf(userId: string): Set<string> {
    const connections = this.data.connections.get(userId) ?? new Set<string>();
    this.data.connections.set(userId, connections);
    return connections;
  }

  private usersOf(serverId: string): Set<string> {
    const users = this.data.instanceUsers.get(serverId) ?? new Set<string>();
    this.data.instanceUsers.set(serverId, users);
    return users;
  }
}

/** Usernames from a fixed list. */
export class MemoryUserNames implements UserNames {
  constructor(readonly names: Record<string, string>) {}

  async usernames(userIds: string[]): Promise<(string | null)[]> {
    return userIds.map((id) => this.names[id] ?? null);
  }
}
