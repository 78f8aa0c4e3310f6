/**
 * Online presence from the connections themselves. A user comes online with their first
 * connection on any instance and goes offline with their last, and only then are
 * user.connected / user.disconnected sent. A heartbeat tells the other instances this one is
 * alive; when one falls silent (killed), a survivor removes its connections.
 */
import type { Logger } from 'pino';
import type { RedisPresenceStore } from '../store/presence-store.js';
import type { Delivery } from './delivery.js';
import type { ChatSocket } from './socket-handlers.js';

export interface PresenceTrackerOptions {
  heartbeatMs: number;
  instanceTimeoutMs: number;
}

export class PresenceTracker {
  /** Per socket, the pending registration, so a quick disconnect waits for it. */
  private readonly registrations = new WeakMap<ChatSocket, Promise<void>>();
  /** Live sockets per HTTP session on this instance. */
  private readonly socketsBySession = new Map<string, number>();
  /** Presence writes under way, awaited at shutdown so nobody is left looking online. */
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  /** Usernames, for announcing users found offline after an instance died. */
  private readonly usernames: (ids: string[]) => Promise<(string | null)[]>;

  constructor(
    private readonly store: RedisPresenceStore,
    private readonly delivery: Delivery,
    private readonly logger: Logger,
    usernames: (ids: string[]) => Promise<(string | null)[]>,
    private readonly options: PresenceTrackerOptions,
  ) {
    this.usernames = usernames;
  }

  connected(socket: ChatSocket): void {
    const { userId, username, sessionId } = socket.data;
    this.socketsBySession.set(sessionId, (this.socketsBySession.get(sessionId) ?? 0) + 1);
    const registration = this.store.addConnection(userId, socket.id).then(
      (first) => {
        if (first) this.delivery.presence({ id: userId, username, online: true });
      },
      (error: unknown) => this.logger.warn({ err: error, userId }, 'could not record a connection'),
    );
    this.registrations.set(socket, registration);
    this.track(registration);
  }

  disconnected(socket: ChatSocket): void {
    const { userId, username, sessionId } = socket.data;
    const left = (this.socketsBySession.get(sessionId) ?? 1) - 1;
    if (left > 0) this.socketsBySession.set(sessionId, left);
    else this.socketsBySession.delete(sessionId);

    const removal = (this.registrations.get(socket) ?? Promise.resolve())
      .then(() => this.store.removeConnection(userId, socket.id))
      .then(
        (last) => {
          if (last) this.delivery.presence({ id: userId, username, online: false });
        },
        (error: unknown) =>
          this.logger.warn({ err: error, userId }, 'could not remove a connection'),
      );
    this.track(removal);
  }

  /** Waits for every presence write under way. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Leaves the instance list at a clean shutdown, so nobody waits for it to time out. */
  async leave(): Promise<void> {
    this.stop();
    await this.drain();
    await this.store.removeInstance(this.store.serverId);
  }

  private track(work: Promise<void>) {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** True while the session has a live socket on this instance. */
  hasSocket(sessionId: string): boolean {
    return this.socketsBySession.has(sessionId);
  }

  /** Starts the heartbeat and the sweep for dead instances. */
  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.options.heartbeatMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async tick(): Promise<void> {
    try {
      await this.store.heartbeat();
      for (const deadId of await this.store.silentInstances(this.options.instanceTimeoutMs)) {
        const offline = await this.store.removeInstance(deadId);
        const names = await this.usernames(offline);
        offline.forEach((id, i) =>
          this.delivery.presence({ id, username: names[i] ?? '', online: false }),
        );
        this.logger.info({ deadId, offline: offline.length }, 'cleaned up a silent instance');
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'presence heartbeat failed');
    }
  }
}
