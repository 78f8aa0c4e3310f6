/**
 * How presence changes reach sockets: gathered for a window, then sent once.
 *
 * Each change used to be one adapter broadcast to every socket of every instance, so N users
 * coming back after a restart cost N publishes and N×N frames. Now an instance collects the
 * changes it decides for PRESENCE_BATCH_MS, keeping the newest state per user (a user appears at
 * most once per window and instance; with the offline grace of the presence feature, a user's
 * state changes at most twice per grace period anyway), and hands the window to the other instances as one
 * `presence.relay` server-side event. Every instance then delivers the window to its own sockets:
 *
 * - sockets that connected with `auth: { presenceBatch: true }` get one `user.presence` event (an
 *   array of UserPresence, in the order the changes were decided);
 * - every other socket, the seed's clients among them, gets the seed's `user.connected` /
 *   `user.disconnected`, one per user, exactly as before (only later by up to one window).
 *
 * Like message batching, the two kinds of socket are told apart by the channel they join at
 * connection (`presence:each` or `presence:batched`), which costs nothing per emit.
 */
import type { UserPresence } from '../../../protocol/models.js';
import type { ChatServer, ChatSocket } from './socket-types.js';

/** The event a batch-receiving socket gets: the presence changes of one window. */
export const PRESENCE_BATCH_EVENT = 'user.presence';
/** Server-side event between instances: the presence changes one instance decided. */
export const PRESENCE_RELAY_EVENT = 'presence.relay';
/** Default window: a second's delay is invisible in a user list and divides frames by the churn. */
export const PRESENCE_BATCH_MS = 1_000;

const EACH_CHANNEL = 'presence:each';
const BATCHED_CHANNEL = 'presence:batched';

/** The handshake option of the presence batch extension. */
export function wantsPresenceBatches(auth: unknown): boolean {
  return (
    typeof auth === 'object' &&
    auth !== null &&
    (auth as Record<string, unknown>).presenceBatch === true
  );
}

export class PresenceBatcher {
  /** Changes decided here, for every instance; by user id, newest state (Map keeps first order). */
  private shared = new Map<string, UserPresence>();
  /**
   * Changes every instance hears by itself (the seed's servers), for this instance's sockets
   * only, passed on as they came: whatever damping they need is their servers' business.
   */
  private localOnly: UserPresence[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly socketRooms: Map<string, Set<string>>;

  constructor(
    private readonly io: ChatServer,
    private readonly windowMs = PRESENCE_BATCH_MS,
  ) {
    this.socketRooms = io.of('/').adapter.rooms;
    io.on(PRESENCE_RELAY_EVENT, (users) => this.deliver(users));
  }

  /** Puts a socket in the audience of presence changes, in the form its handshake asked for. */
  follow(socket: ChatSocket): void {
    void socket.join(wantsPresenceBatches(socket.handshake.auth) ? BATCHED_CHANNEL : EACH_CHANNEL);
  }

  /** A user came online or went offline: sent with the window's other changes. */
  announce(user: UserPresence, { local = false } = {}): void {
    if (local) {
      this.localOnly.push(user);
    } else {
      // Deleted first so that the user moves to the end: the window keeps the order of decisions.
      this.shared.delete(user.id);
      this.shared.set(user.id, user);
    }
    this.timer ??= setTimeout(this.flush, this.windowMs);
  }

  /** Sends what the window holds now (at shutdown). */
  readonly flush = (): void => {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const shared = [...this.shared.values()];
    const localOnly = this.localOnly;
    this.shared = new Map();
    this.localOnly = [];
    if (shared.length > 0) {
      try {
        this.io.serverSideEmit(PRESENCE_RELAY_EVENT, shared);
      } catch {
        // An adapter without inter-server events serves a single instance: nobody to relay to.
      }
    }
    const here = [...localOnly, ...shared];
    if (here.length > 0) this.deliver(here);
  };

  /** Delivers one window to this instance's sockets. */
  private deliver(users: UserPresence[]): void {
    if (this.socketsIn(EACH_CHANNEL) > 0) {
      const each = this.io.local.to(EACH_CHANNEL);
      for (const user of users) {
        each.emit(user.online ? 'user.connected' : 'user.disconnected', user);
      }
    }
    if (this.socketsIn(BATCHED_CHANNEL) > 0) {
      this.io.local.to(BATCHED_CHANNEL).emit(PRESENCE_BATCH_EVENT, users);
    }
  }

  private socketsIn(channel: string): number {
    return this.socketRooms.get(channel)?.size ?? 0;
  }
}
