/**
 * Batched delivery of room messages: an opt-in extension of the protocol for this project's own
 * client. A socket that connects with `auth: { messageBatch: true }` receives the messages of
 * General and group rooms as `message.batch` events — an array of ChatMessage, oldest first —
 * gathered over a few milliseconds per room, instead of one `message` event each. In a busy room
 * this divides the server's per-socket work (and the client's per-event work) by the number of
 * messages per batch. Private rooms (two members, a few messages a second) gain nothing from it
 * and keep `message` events for everyone; so do all other events. Sockets that do not opt in, the
 * seed's clients among them, see exactly the seed's `message` events.
 *
 * How sockets are told apart without a per-emit filter (Socket.IO's `except()` copies the whole
 * excluded room on every emit): whenever a socket joins a room's Socket.IO channel, it also joins
 * one of two mirror channels, `each:room:X` or `batched:room:X`, depending on its handshake; each
 * message is emitted to the first mirror at once, and each batch to the second. Joins and leaves
 * reach the mirrors through the adapter's join-room/leave-room events, so every join — on
 * connection, on first use, through socketsJoin from another instance — is covered.
 *
 * A message reaches a socket in exactly one of the two forms, once. A batch leaves at most
 * BATCH_WINDOW_MS after its first message; flushNow() at shutdown sends what is pending.
 */
import type { ChatMessage } from '../../protocol/models.js';
import { privateRoomMembers } from '../domain/rooms.js';
import type { ChatServer } from './delivery.js';
import { roomChannel } from './rooms.js';

/** The event a batch-receiving socket gets: the messages of one room, oldest first. */
export const MESSAGE_BATCH_EVENT = 'message.batch';
export const DEFAULT_BATCH_WINDOW_MS = 5;

const ROOM_CHANNEL_PREFIX = roomChannel('');
const eachChannel = (channel: string) => `each:${channel}`;
const batchedChannel = (channel: string) => `batched:${channel}`;

/** The handshake option of this extension. */
export function wantsMessageBatches(auth: unknown): boolean {
  return (
    typeof auth === 'object' &&
    auth !== null &&
    (auth as Record<string, unknown>).messageBatch === true
  );
}

interface PendingBatch {
  channel: string;
  local: boolean;
  messages: ChatMessage[];
}

/** `message.batch` is not (yet) in ServerToClientEvents; this is the one place that emits it. */
interface BatchEmitter {
  emit(event: typeof MESSAGE_BATCH_EVENT, messages: ChatMessage[]): boolean;
}

export class MessageBatcher {
  private pending = new Map<string, PendingBatch>();
  private timer: NodeJS.Timeout | null = null;

  /** Call after io.adapter(...): the mirrors live in the namespace's adapter. */
  constructor(
    private readonly io: ChatServer,
    readonly windowMs = DEFAULT_BATCH_WINDOW_MS,
  ) {
    const namespace = io.of('/');
    const adapter = namespace.adapter;
    adapter.on('join-room', (channel: string, socketId: string) => {
      if (!channel.startsWith(ROOM_CHANNEL_PREFIX)) return;
      const socket = namespace.sockets.get(socketId);
      if (!socket) return;
      const mirror = wantsMessageBatches(socket.handshake.auth)
        ? batchedChannel(channel)
        : eachChannel(channel);
      void adapter.addAll(socketId, new Set([mirror]));
    });
    adapter.on('leave-room', (channel: string, socketId: string) => {
      if (!channel.startsWith(ROOM_CHANNEL_PREFIX)) return;
      void adapter.del(socketId, eachChannel(channel));
      void adapter.del(socketId, batchedChannel(channel));
    });
  }

  /**
   * Delivers a room message: at once to the sockets that take one event per message, and into
   * the room's next batch for the others. False for private rooms, which the caller delivers
   * as before.
   */
  deliver(message: ChatMessage, local: boolean): boolean {
    if (privateRoomMembers(message.roomId)) return false;
    const channel = roomChannel(message.roomId);
    (local ? this.io.local : this.io).to(eachChannel(channel)).emit('message', message);
    const key = `${local ? 'local' : 'all'} ${channel}`;
    const batch = this.pending.get(key);
    if (batch) batch.messages.push(message);
    else this.pending.set(key, { channel, local, messages: [message] });
    this.timer ??= setTimeout(this.flushNow, this.windowMs);
    return true;
  }

  /** Sends every pending batch now (the timer's job; also at shutdown). */
  readonly flushNow = (): void => {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batches = this.pending;
    this.pending = new Map();
    for (const { channel, local, messages } of batches.values()) {
      const target = (local ? this.io.local : this.io).to(batchedChannel(channel));
      (target as unknown as BatchEmitter).emit(MESSAGE_BATCH_EVENT, messages);
    }
  };
}
