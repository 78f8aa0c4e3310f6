/**
 * Online presence from the connections themselves. A user comes online with their first
 * connection on any instance and goes offline when their last has been closed for the offline
 * grace (kept in Redis, so a reload that lands on another instance counts too), and only then
 * are user.connected / user.disconnected sent.
 *
 * Redis is told about every connection, but the truth is the sockets this process holds: when a
 * write fails (Redis away), when Redis comes back without its data, or when a survivor took this
 * instance for dead, the instance writes its connections again (`reconcile`). A heartbeat tells
 * the other instances this one is alive; when one falls silent (killed), a survivor removes its
 * connections. When this instance makes its clients reconnect (at a clean shutdown, to another
 * instance; after a pub/sub gap, to any) their users get a moment to come back before they are
 * written off, so the move causes no offline/online flicker (hold/release/leave).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { UserPresence } from '../../../protocol/models.js';
import type { PresenceChange, PresenceStore, UserNames } from './ports.js';

export interface PresenceTrackerOptions {
  /** How often this instance tells the others it is alive (capped at a third of the timeout). */
  heartbeatMs: number;
  /** Silence after which an instance is taken for dead and its users for gone. */
  instanceTimeoutMs: number;
  /** How long users get to reconnect when this instance closes their sockets on purpose. */
  handoverGraceMs?: number;
  /**
   * How long a user whose last connection closed still counts as online (0: offline at once). A
   * reload or a network blip shorter than this announces nothing; and since a user can only come
   * online again after having gone offline, each user causes at most one offline/online pair per
   * grace period, however fast they cycle connections.
   */
  offlineGraceMs?: number;
}

const DEFAULT_HANDOVER_GRACE_MS = 2_500;
/** How often, at most, users whose grace is over are looked for. */
const MAX_SETTLE_INTERVAL_MS = 1_000;
/** Users settled per look: more wait for the next one. */
const SETTLE_BATCH = 1_000;

/** What the tracker knows of a socket: its id and the session it was opened with. */
export interface PresenceSocket {
  id: string;
  data: { userId: string; username: string; sessionId: string };
}

/** Where the tracker tells what it did and what failed (a pino logger). */
export interface PresenceLog {
  info(context: object, message: string): void;
  warn(context: object, message: string): void;
}

/** Tells everyone that a user came online or went offline. */
export type Announce = (user: UserPresence) => void;
const HANDOVER_POLL_MS = 100;

interface LocalUser {
  username: string;
  socketIds: Set<string>;
}

export class PresenceTracker {
  /** The sockets this process holds, per user: what Redis must say about this instance. */
  private readonly local = new Map<string, LocalUser>();
  /** Live sockets per HTTP session on this instance. */
  private readonly socketsBySession = new Map<string, number>();
  /** Writes for one user run one after the other, so their outcome follows the sockets' order. */
  private readonly queues = new Map<string, Promise<void>>();
  /** Presence writes under way, awaited at shutdown so nobody is left looking online. */
  private readonly inFlight = new Set<Promise<void>>();
  /** Users whose sockets closed during a hold: not written off yet. */
  private readonly departed = new Map<string, string>();
  /** While above zero, closing sockets are expected to reconnect (see hold()). */
  private holds = 0;
  /** A write failed: Redis and the sockets may disagree until the next reconcile. */
  private dirty = false;
  /** Since when this instance has been reaching Redis without a break. */
  private readySince = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private settleTimer: NodeJS.Timeout | null = null;
  private ticking = false;
  private settling = false;
  private stopped = false;

  constructor(
    private readonly store: PresenceStore,
    /** Usernames, for announcing users who went offline without a local socket to name them. */
    private readonly users: UserNames,
    private readonly logger: PresenceLog,
    private readonly options: PresenceTrackerOptions,
    private readonly announce: Announce,
  ) {}

  connected(socket: PresenceSocket): void {
    const { userId, username, sessionId } = socket.data;
    this.socketsBySession.set(sessionId, (this.socketsBySession.get(sessionId) ?? 0) + 1);
    const user = this.local.get(userId) ?? { username, socketIds: new Set<string>() };
    user.socketIds.add(socket.id);
    this.local.set(userId, user);

    this.serially(userId, async () => {
      // Gone again before its turn: nothing to record, nobody to tell.
      if (!this.local.get(userId)?.socketIds.has(socket.id)) return;
      if (await this.store.addConnection(userId, socket.id)) {
        this.announce({ id: userId, username, online: true });
      }
    });
  }

  disconnected(socket: PresenceSocket): void {
    const { userId, username, sessionId } = socket.data;
    const left = (this.socketsBySession.get(sessionId) ?? 1) - 1;
    if (left > 0) this.socketsBySession.set(sessionId, left);
    else this.socketsBySession.delete(sessionId);
    const user = this.local.get(userId);
    user?.socketIds.delete(socket.id);
    if (user?.socketIds.size === 0) this.local.delete(userId);

    if (this.holds > 0) {
      this.departed.set(userId, username);
      return;
    }
    this.serially(userId, async () => {
      if (await this.store.removeConnection(userId, socket.id, this.offlineGraceMs)) {
        this.announce({ id: userId, username, online: false });
      }
    });
  }

  /** True while the session has a live socket on this instance. */
  hasSocket(sessionId: string): boolean {
    return this.socketsBySession.has(sessionId);
  }

  /** Starts the heartbeat and the sweep for dead instances. */
  async start(): Promise<void> {
    this.store.onReconnect(() => {
      this.readySince = Date.now();
      // Whatever happened while Redis was away, write this instance's connections again.
      this.dirty = true;
      void this.tick();
    });
    await this.tick();
    const heartbeatMs = Math.min(this.options.heartbeatMs, this.options.instanceTimeoutMs / 3);
    this.timer = setInterval(() => void this.tick(), heartbeatMs);
    this.timer.unref();
    if (this.offlineGraceMs > 0) {
      const settleMs = Math.min(MAX_SETTLE_INTERVAL_MS, Math.max(50, this.offlineGraceMs / 5));
      this.settleTimer = setInterval(() => void this.settleDue(), settleMs);
      this.settleTimer.unref();
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.settleTimer) clearInterval(this.settleTimer);
    this.timer = null;
    this.settleTimer = null;
  }

  /**
   * Announces offline the users whose grace is over and who did not come back, on whichever
   * instance they were: every instance looks, one settles each user.
   */
  async settleDue(): Promise<void> {
    if (this.settling || this.stopped) return;
    this.settling = true;
    try {
      const due = await this.store.dueOffline(Date.now(), SETTLE_BATCH);
      const offline: string[] = [];
      await Promise.all(
        due.map((userId) =>
          this.serially(userId, async () => {
            if (await this.store.settleOffline(userId)) offline.push(userId);
          }),
        ),
      );
      if (offline.length === 0) return;
      const names = await this.users.usernames(offline).catch(() => []);
      offline.forEach((id, i) => this.announce({ id, username: names[i] ?? '', online: false }));
    } catch (error) {
      this.logger.warn({ err: error }, 'could not settle the users whose offline grace is over');
    } finally {
      this.settling = false;
    }
  }

  private get offlineGraceMs(): number {
    return this.options.offlineGraceMs ?? 0;
  }

  /** Waits for every presence write under way. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /**
   * From now on, closing sockets are not written off at once: their clients were told to
   * reconnect (to another instance at shutdown, to any after a pub/sub gap), and their users
   * must not flicker offline meanwhile. See release() and leave().
   */
  hold(): void {
    this.holds++;
  }

  /**
   * Ends a hold: waits (up to the grace period) for the users whose sockets closed meanwhile to
   * connect again, then writes the live sockets to Redis and announces only those who did not
   * come back.
   */
  async release(): Promise<void> {
    await this.awaitReturns();
    this.holds = Math.max(0, this.holds - 1);
    if (this.holds > 0) return;
    await this.reconcile();
    this.departed.clear();
  }

  /**
   * Leaves at a clean shutdown, after hold() and the closing of every connection: waits for the
   * users to show up on another instance, then removes what is left of this instance.
   */
  async leave(): Promise<void> {
    await this.drain();
    // Heartbeats go on meanwhile: a survivor must not take this instance for dead yet.
    await this.awaitReturns();
    this.stop();
    await this.drain();
    await this.reconcile();
    await this.drain();
    await this.store.removeInstance(this.store.serverId);
  }

  /** Until each departed user has a connection again, here or elsewhere, or the grace is over. */
  private async awaitReturns(): Promise<void> {
    const graceMs = this.options.handoverGraceMs ?? DEFAULT_HANDOVER_GRACE_MS;
    const deadline = Date.now() + graceMs;
    const waiting = new Set(this.departed.keys());
    while (waiting.size > 0 && Date.now() < deadline) {
      for (const userId of waiting) {
        const back =
          this.local.has(userId) ||
          (await this.store.connectedElsewhere(userId).catch(() => false));
        if (back) waiting.delete(userId);
      }
      if (waiting.size > 0) await sleep(HANDOVER_POLL_MS);
    }
  }

  /** Makes Redis hold exactly this instance's live connections, announcing what changed. */
  async reconcile(): Promise<void> {
    this.dirty = false;
    const recorded = await this.store.instanceUserIds();
    const userIds = new Set([...recorded, ...this.local.keys(), ...this.departed.keys()]);
    const changes = await Promise.all(
      [...userIds].map(
        (userId) =>
          new Promise<[string, PresenceChange]>((done) => {
            this.serially(userId, async () => {
              const socketIds = [...(this.local.get(userId)?.socketIds ?? [])];
              done([userId, await this.store.syncUser(userId, socketIds)]);
            }).finally(() => done([userId, null]));
          }),
      ),
    );
    const changed = changes.filter(([, change]) => change !== null);
    if (changed.length === 0) return;
    const names = await this.users.usernames(changed.map(([userId]) => userId)).catch(() => []);
    changed.forEach(([userId, change], i) => {
      const username =
        this.local.get(userId)?.username ?? this.departed.get(userId) ?? names[i] ?? '';
      this.announce({ id: userId, username, online: change === 'online' });
    });
    this.logger.info({ changed: changed.length }, 'presence reconciled with the live sockets');
  }

  /** Runs a write after the user's previous ones; a failure marks the state for reconciling. */
  private serially(userId: string, work: () => Promise<void>): Promise<void> {
    const previous = this.queues.get(userId) ?? Promise.resolve();
    const next = previous.then(work).catch((error: unknown) => {
      this.dirty = true;
      this.logger.warn({ err: error, userId }, 'could not record presence; will retry');
    });
    this.queues.set(userId, next);
    this.inFlight.add(next);
    void next.finally(() => {
      this.inFlight.delete(next);
      if (this.queues.get(userId) === next) this.queues.delete(userId);
    });
    return next;
  }

  private async tick(): Promise<void> {
    if (this.ticking || this.stopped) return;
    this.ticking = true;
    try {
      const wasMissing = await this.store.heartbeat();
      if (wasMissing) this.dirty = true;
      // During a hold, closed sockets are not gone yet: release() reconciles when it ends.
      if (this.dirty && this.holds === 0) await this.reconcile();
      // Right after a reconnection every instance looks silent: wait one timeout for them to
      // speak again before taking any for dead.
      if (Date.now() - this.readySince >= this.options.instanceTimeoutMs) {
        await this.sweep();
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'presence heartbeat failed');
    } finally {
      this.ticking = false;
    }
  }

  /** Removes the connections of instances that stopped sending heartbeats. */
  private async sweep(): Promise<void> {
    for (const deadId of await this.store.silentInstances(this.options.instanceTimeoutMs)) {
      if (!(await this.store.claimSilentInstance(deadId))) continue;
      const offline = await this.store.removeInstance(deadId);
      const names = await this.users.usernames(offline);
      offline.forEach((id, i) => this.announce({ id, username: names[i] ?? '', online: false }));
      this.logger.info({ deadId, offline: offline.length }, 'cleaned up a silent instance');
    }
  }
}
