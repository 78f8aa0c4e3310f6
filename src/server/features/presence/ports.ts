/**
 * Where presence is recorded: every instance's live connections, per user, and the instances'
 * heartbeats. A user is online while they have a connection on any instance.
 */

/** What a change to the recorded connections means for the user's presence. */
export type PresenceChange = 'online' | 'offline' | null;

export interface PresenceStore {
  /** The instance whose connections this store writes. */
  readonly serverId: string;
  /** Calls back each time the store may have lost what was written (reconnected to Redis). */
  onReconnect(listener: () => void): void;
  /**
   * Records a connection; true when the user just came online (they were not listed online: a
   * user back within the offline grace still is).
   */
  addConnection(userId: string, socketId: string): Promise<boolean>;
  /**
   * Forgets a connection. When it was the user's last one: with `graceMs` 0 they go offline now
   * (true: announce it); otherwise they are due to go offline `graceMs` from now, unless they
   * connect again meanwhile (see dueOffline/settleOffline), and the answer is false.
   */
  removeConnection(userId: string, socketId: string, graceMs: number): Promise<boolean>;
  /** Users whose offline grace is over (up to `limit`), on any instance. */
  dueOffline(nowMs: number, limit: number): Promise<string[]>;
  /**
   * Takes a user whose grace is over off the due list; true when this caller did, and the user,
   * still without a connection, is now offline (announce it). Several instances may try: one wins.
   */
  settleOffline(userId: string): Promise<boolean>;
  /** Makes what is recorded for this instance and user equal to its live sockets. */
  syncUser(userId: string, socketIds: readonly string[]): Promise<PresenceChange>;
  /** Users this instance has recorded connections for (a superset: it is pruned lazily). */
  instanceUserIds(): Promise<string[]>;
  /** True when the user has a live connection on some other instance. */
  connectedElsewhere(userId: string): Promise<boolean>;
  /** Tells the others this instance is alive; true when it had been taken for dead (or lost). */
  heartbeat(): Promise<boolean>;
  /** Other instances whose last heartbeat is older than the timeout. */
  silentInstances(timeoutMs: number): Promise<string[]>;
  /** One survivor cleans up after a silent instance: true for the one that gets to. */
  claimSilentInstance(serverId: string): Promise<boolean>;
  /** Removes an instance and its connections; answers the users who went offline. */
  removeInstance(serverId: string): Promise<string[]>;
  /** Ids of the users online now. */
  onlineUserIds(): Promise<string[]>;
  areOnline(userIds: string[]): Promise<boolean[]>;
}

/** Usernames by id (the auth feature's user directory). */
export interface UserNames {
  usernames(userIds: string[]): Promise<(string | null)[]>;
}
