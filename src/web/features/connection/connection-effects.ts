/**
 * The connection's life: its status, a reconnect after the server closed it on purpose or refused
 * it, the end of the session when the server no longer knows it, and catching up after a
 * reconnect (what each room missed, then the room list, who is online, the open room's members).
 */
import { type Store, Subscriptions } from '../../core/store/index.js';
import type { ConnectError, Transport } from '../../core/transport/index.js';
import type { MessagesEffects } from '../messages/index.js';
import type { WithOpenRoom } from '../navigation/index.js';
import type { PresenceEffects } from '../presence/index.js';
import type { RoomsEffects } from '../rooms/index.js';
import type { ConnectionAction, WithConnection } from './connection-slice.js';

/** After a refusal Socket.IO stops trying: ask again after this long (ms). */
const RETRY_AFTER_REFUSAL_MS = 2000;

export type ConnectionStore = Store<WithConnection & WithOpenRoom, ConnectionAction>;

export interface ConnectionEffectsOptions {
  messages: Pick<MessagesEffects, 'catchUp'>;
  rooms: Pick<RoomsEffects, 'refreshRooms' | 'loadMembers'>;
  presence: Pick<PresenceEffects, 'refreshOnlineUsers'>;
  /** The server no longer knows the session (expired, or signed out elsewhere). */
  onSessionEnded: () => void;
}

export class ConnectionEffects {
  private everConnected = false;
  private stopped = false;
  private readonly subscriptions = new Subscriptions();

  constructor(
    private readonly store: ConnectionStore,
    private readonly transport: Transport,
    private readonly options: ConnectionEffectsOptions,
  ) {}

  start(): void {
    this.stopped = false;
    const { connection } = this.transport;
    this.subscriptions.add(
      connection.onConnect(this.handleConnect),
      connection.onDisconnect(this.handleDisconnect),
      connection.onConnectError(this.handleConnectError),
    );
  }

  /** Opens the connection (after every feature listens, so no event is lost). */
  connect(): void {
    this.transport.connection.connect();
  }

  stop(): void {
    this.stopped = true;
    this.subscriptions.clear();
    this.transport.connection.disconnect();
  }

  private changed(status: ConnectionAction['status']): void {
    this.store.dispatch({ type: 'connection.changed', status, at: Date.now() });
  }

  private readonly handleConnect = () => {
    this.changed('online');
    if (this.everConnected) void this.catchUp();
    // The first pages may have loaded before the socket joined its rooms: what was posted in
    // between reached neither, so the rooms already shown ask for it once.
    else void this.options.messages.catchUp();
    this.everConnected = true;
  };

  private readonly handleDisconnect = (reason: string) => {
    if (this.stopped) return;
    this.changed('offline');
    // The server closed this socket on purpose: Socket.IO does not reconnect by itself then.
    if (reason === 'io server disconnect') void this.reconnectIfSignedIn();
  };

  /**
   * The server also closes a socket when its session ends (signed out here or everywhere, a new
   * password, a ban). Asking who is signed in first tells that apart from a server shutting down,
   * without a refused handshake or a 401 for the browser to report.
   */
  private async reconnectIfSignedIn(): Promise<void> {
    const me = await this.transport.api.me().catch(() => undefined);
    if (this.stopped) return;
    if (me === null) this.options.onSessionEnded();
    else this.transport.connection.connect();
  }

  private readonly handleConnectError = (error: ConnectError) => {
    if (error.data?.code === 'unauthenticated') {
      this.options.onSessionEnded();
      return;
    }
    // A handshake without a live session is refused with an HTTP status before Socket.IO sees
    // it, so the error names no code: asking who is signed in tells. While no server answers at
    // all (a restart) there is nothing to ask, and each request would only fail again.
    if (!error.data?.code && refusedByServer(error)) {
      void this.transport.api
        .me()
        .then((me) => {
          if (me === null && !this.stopped) this.options.onSessionEnded();
        })
        .catch(() => undefined);
    }
    this.changed(this.everConnected ? 'offline' : 'connecting');
    // A refusal by the server's middleware is final for Socket.IO; a lost network is retried.
    const { connection } = this.transport;
    if (!connection.active) {
      setTimeout(() => {
        if (!this.stopped && !connection.connected) connection.connect();
      }, RETRY_AFTER_REFUSAL_MS);
    }
  };

  /**
   * After a reconnect: every room already shown gets what it missed, merged by id so nothing
   * shows twice; then the room list, who is online, and the open room's members.
   */
  private async catchUp(): Promise<void> {
    const { messages, rooms, presence } = this.options;
    await messages.catchUp();
    await Promise.all([
      rooms.refreshRooms(),
      presence.refreshOnlineUsers(),
      rooms.loadMembers(this.store.getState().openRoom.roomId),
    ]);
  }
}

function refusedByServer(error: ConnectError): boolean {
  return typeof error.description === 'number' && error.description >= 400;
}
