/** Who is online (a snapshot, then the live events), and the names of senders we do not know. */
import type { ChatEvent } from '../../core/events.js';
import { type Store, Subscriptions } from '../../core/store/index.js';
import type { Transport } from '../../core/transport/index.js';
import type { WithSession } from '../auth/index.js';
import type { PresenceAction, WithUsers } from './users-slice.js';

export type PresenceStore = Store<WithSession & WithUsers, PresenceAction | ChatEvent>;

export class PresenceEffects {
  private noticeIds = 0;
  /** User ids asked for (or being asked for), so each is fetched once. */
  private readonly requestedUsers = new Set<string>();
  private usersToFetch = new Set<string>();
  private readonly subscriptions = new Subscriptions();

  constructor(
    private readonly store: PresenceStore,
    private readonly transport: Transport,
  ) {}

  start(): void {
    const { connection } = this.transport;
    this.subscriptions.add(
      connection.on('user.connected', this.handlePresence),
      connection.on('user.disconnected', this.handlePresence),
      connection.on('user.presence', (users) => users.forEach(this.handlePresence)),
    );
  }

  stop(): void {
    this.subscriptions.clear();
  }

  private readonly handlePresence = (user: { id: string; username: string; online: boolean }) => {
    this.store.dispatch({ type: 'presence.changed', user, noticeId: `notice-${++this.noticeIds}` });
  };

  async refreshOnlineUsers(): Promise<void> {
    try {
      const users = await this.transport.api.onlineUsers();
      this.store.dispatch({ type: 'users.loaded', users, onlineSnapshot: true });
    } catch {
      // Presence updates keep arriving; the next reconnect asks again.
    }
  }

  /** Asks once for the names of senders we do not know, in one batched request. */
  ensureUsers(ids: string[]): void {
    const known = this.store.getState().users;
    const missing = ids.filter((id) => !known[id] && !this.requestedUsers.has(id));
    if (missing.length === 0) return;
    const first = this.usersToFetch.size === 0;
    for (const id of missing) {
      this.requestedUsers.add(id);
      this.usersToFetch.add(id);
    }
    if (!first) return;
    queueMicrotask(() => {
      const batch = [...this.usersToFetch];
      this.usersToFetch = new Set();
      this.transport.api.users(batch).then(
        (users) => this.store.dispatch({ type: 'users.loaded', users, onlineSnapshot: false }),
        () => batch.forEach((id) => this.requestedUsers.delete(id)),
      );
    });
  }
}
