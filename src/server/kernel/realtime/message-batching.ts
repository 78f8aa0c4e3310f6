/**
 * How chat messages reach sockets: at once on this instance, and in batches everywhere else.
 *
 * Local first. A message stored here is emitted to this instance's sockets (`io.local`) without
 * going through Redis. The other instances get the messages stored here as one `messages.relay`
 * server-side event per window (RELAY_WINDOW_MS), instead of one adapter broadcast per message:
 * each broadcast costs a PUBLISH here and a read and decode on every instance, this one included,
 * and on a lightly loaded server those wake-ups were the largest share of the CPU a message costs.
 * Each instance delivers relayed messages to its own sockets. Messages from the seed's servers
 * reach every instance through the seed bridge (interop/) and are delivered locally only.
 *
 * Order with the adapter's own operations. The adapter applies a broadcast or a socketsJoin to
 * this instance's sockets only once its PUBLISH has returned. Private rooms and General are safe
 * to deliver at once: their channels (the members' user channels, General) are joined
 * synchronously at connection. A group room's channel may be joined through socketsJoin just
 * before its first message; so a group message is delivered here at the end of the window, after
 * a Redis round trip (the `barrier`) on the connection the adapter publishes on, which returns
 * after every PUBLISH issued before it. The other instances receive relays and the adapter's
 * operations on one channel, in the order they were published.
 *
 * Batches for clients that ask (an opt-in protocol extension for this project's client). A socket
 * that connects with `auth: { messageBatch: true }` receives the messages of General and group
 * rooms as `message.batch` events — an array of ChatMessage, oldest first, one event per room and
 * window — instead of one `message` event each, which divides the per-socket work on the server
 * and the per-event work in the client by the messages per batch. Private rooms (two members, a
 * few messages a second, nothing to gain) keep `message` events for everyone; so do all other
 * events. Sockets that do not opt in, the seed's clients among them, see exactly the seed's
 * `message` events.
 *
 * Telling the two kinds of socket apart costs nothing per emit (Socket.IO's `except()` would copy
 * the excluded room on every emit): a socket joining General's channel or its user's channel also
 * joins one of two mirror channels, `each:…` or `batched:…`, depending on its handshake, through
 * the adapter's join-room/leave-room events. Other rooms' channels and mirrors are expanded to
 * their users' channels and mirrors (local-room-index.ts), so a socket has four channels whatever
 * its user's number of rooms.
 *
 * Relayed messages join the receiving instance's batch window too. Each instance relays its own
 * messages, so with three instances a batch-receiving socket would otherwise get a frame per relay
 * of each of the two others besides its local batch: five frames per 10 ms instead of one (0.33
 * events per delivery against 0.09 on one instance, at 800 msg/s in General), and it cost more
 * server CPU per delivery than the seed's protocol. One-event-per-message sockets get relayed
 * messages at once, as before.
 *
 * Order with other events: an event broadcast after a message (an edit, say, from this instance
 * or relayed by another) must not overtake it while it waits in a batch. So every other emit on
 * this instance, local or from the adapter, first sends the batches pending (see the hook on the
 * adapter's apply in the constructor).
 *
 * Guarantees: a message reaches each socket of its room once, in one of the two forms. A relay
 * leaves at most RELAY_WINDOW_MS after its first message, a batch at most BATCH_WINDOW_MS after
 * its first message reached the instance; flushNow() sends everything pending (at shutdown). A
 * relay lost with Redis is lost for the other instances' sockets only (their clients catch up
 * from history after reconnecting); this instance's sockets got the message.
 */
import type { ChatMessage } from '../../../protocol/models.js';
import { privateRoomMembers } from '../../../protocol/room-ids.js';
import { GENERAL_ROOM_ID } from '../../../protocol/models.js';
import { audienceOf, joinedAtConnection, roomChannel, userChannel } from './channels.js';
import type { LocalRoomIndex } from './local-room-index.js';
import { othersListen } from './redis-adapter.js';
import type { ChatServer } from './socket-types.js';

/** The event a batch-receiving socket gets: the messages of one room, oldest first. */
export const MESSAGE_BATCH_EVENT = 'message.batch';
/** Server-side event between instances: messages stored by the sender, oldest first. */
export const MESSAGE_RELAY_EVENT = 'messages.relay';
/** How long messages wait for company before going to the other instances. */
export const RELAY_WINDOW_MS = 5;
/**
 * How long a room's messages wait for company before going to batch-receiving sockets: one frame
 * per socket and window, so a longer window costs less CPU on both ends (10 ms: 2.4 µs of server
 * CPU per delivery in a 200-user room at 800 msg/s, against 2.9 µs with 5 ms).
 */
export const BATCH_WINDOW_MS = 10;

const GENERAL_CHANNEL = roomChannel(GENERAL_ROOM_ID);
const USER_CHANNEL_PREFIX = userChannel('');
/** The channels a socket joins itself, which get a mirror; room channels are expanded to these. */
const hasMirror = (channel: string) =>
  channel === GENERAL_CHANNEL || channel.startsWith(USER_CHANNEL_PREFIX);
const eachChannel = (channel: string) => `each:${channel}`;
const batchedChannel = (channel: string) => `batched:${channel}`;

/** The handshake option of the batch extension. */
export function wantsMessageBatches(auth: unknown): boolean {
  return (
    typeof auth === 'object' &&
    auth !== null &&
    (auth as Record<string, unknown>).messageBatch === true
  );
}

/** Resolves after every command issued before it on the adapter's publishing connection. */
export type RedisBarrier = () => Promise<unknown>;

/** What the batcher counts (the instance's metrics). */
export interface DeliveryCounter {
  /** `sockets` sockets of this instance were handed a message of the room. */
  messagesDelivered(roomId: string, sockets: number): void;
  /** A relay of this many messages left for the other instances. */
  relaySent(messages: number): void;
  /** A relay of this many messages arrived from another instance. */
  relayReceived(messages: number): void;
}

export class MessageBatcher {
  /** Per room channel, messages waiting for this instance's batch-receiving sockets. */
  private batches = new Map<string, ChatMessage[]>();
  /** Messages stored here, waiting to be relayed to the other instances. */
  private relay: ChatMessage[] = [];
  /** Group-room messages for this instance's sockets, delivered after the barrier. */
  private afterBarrier: ChatMessage[] = [];
  private relayTimer: NodeJS.Timeout | null = null;
  private batchTimer: NodeJS.Timeout | null = null;
  /** True while this batcher emits: its own deliveries need not flush the batches first. */
  private delivering = false;

  /** Call after io.adapter(...): the mirrors live in the namespace's adapter. */
  constructor(
    private readonly io: ChatServer,
    private readonly barrier: RedisBarrier,
    private readonly counter: DeliveryCounter,
    /** Who follows which room here: the delivery counts. */
    private readonly index: LocalRoomIndex,
    private readonly windows = { relayMs: RELAY_WINDOW_MS, batchMs: BATCH_WINDOW_MS },
  ) {
    const namespace = io.of('/');
    const adapter = namespace.adapter;
    adapter.on('join-room', (channel: string, socketId: string) => {
      if (!hasMirror(channel)) return;
      const socket = namespace.sockets.get(socketId);
      if (!socket) return;
      const mirror = wantsMessageBatches(socket.handshake.auth)
        ? batchedChannel(channel)
        : eachChannel(channel);
      void adapter.addAll(socketId, new Set([mirror]));
    });
    adapter.on('leave-room', (channel: string, socketId: string) => {
      if (!hasMirror(channel)) return;
      void adapter.del(socketId, eachChannel(channel));
      void adapter.del(socketId, batchedChannel(channel));
    });
    io.on(MESSAGE_RELAY_EVENT, (messages) => {
      this.counter.relayReceived(messages.length);
      this.queueRelayed(messages);
    });
    // Every emit, socketsJoin and the like reaches this instance's sockets through apply: any
    // that is not a delivery of ours leaves after the batches waiting (an edit after its
    // message). Harmless for the others (a join, a presence window): one early flush.
    const hooked = adapter as unknown as { apply: (...args: unknown[]) => unknown };
    const apply = hooked.apply.bind(adapter);
    hooked.apply = (...args) => {
      if (!this.delivering && this.batches.size > 0) this.flushBatches();
      return apply(...args);
    };
  }

  /**
   * Delivers a message to this instance's sockets, and to the other instances' unless it is
   * `local` (the seed bridge delivers on every instance by itself).
   */
  deliver(message: ChatMessage, local: boolean): void {
    if (joinedAtConnection(message.roomId)) {
      const channel = this.deliverNow(message);
      if (channel !== null) {
        this.addToBatch(channel, message);
        this.batchTimer ??= setTimeout(this.flushBatches, this.windows.batchMs);
      }
    } else {
      this.afterBarrier.push(message);
    }
    // Alone on Redis, an instance relays to nobody: no relay, and no relay timer to wake up for.
    const relayed = !local && othersListen(this.io);
    if (relayed) this.relay.push(message);
    if (relayed || this.afterBarrier.length > 0) {
      this.relayTimer ??= setTimeout(this.flushRelay, this.windows.relayMs);
    }
  }

  /** Sends every pending batch and relay now (at shutdown). */
  readonly flushNow = (): void => {
    this.flushBatches();
    this.flushRelay();
  };

  private readonly flushBatches = (): void => {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    const batches = this.batches;
    this.batches = new Map();
    for (const [channel, messages] of batches) this.emitBatch(channel, messages);
  };

  private readonly flushRelay = (): void => {
    if (this.relayTimer) clearTimeout(this.relayTimer);
    this.relayTimer = null;
    if (this.relay.length > 0) {
      const relay = this.relay;
      this.relay = [];
      try {
        this.io.serverSideEmit(MESSAGE_RELAY_EVENT, relay);
        this.counter.relaySent(relay.length);
      } catch {
        // An adapter without inter-server events serves a single instance: nobody to relay to.
      }
    }
    if (this.afterBarrier.length > 0) {
      const ordered = this.afterBarrier;
      this.afterBarrier = [];
      // Delivered even when Redis fails: this instance's sockets need no Redis to get them.
      const deliver = () => this.deliverRelayed(ordered);
      this.barrier().then(deliver, deliver);
    }
  };

  /**
   * Messages another instance stored: at once to one-event-per-message sockets, in this
   * instance's batch window to the others (one frame per window whatever the number of origins).
   */
  private queueRelayed(messages: ChatMessage[]): void {
    for (const message of messages) {
      const channel = this.deliverNow(message);
      if (channel === null) continue;
      this.addToBatch(channel, message);
      this.batchTimer ??= setTimeout(this.flushBatches, this.windows.batchMs);
    }
  }

  /** Group messages of this instance after the barrier (they have waited a window already). */
  private deliverRelayed(messages: ChatMessage[]): void {
    const batches = new Map<string, ChatMessage[]>();
    for (const message of messages) {
      const channel = this.deliverNow(message);
      if (channel === null) continue;
      const batch = batches.get(channel);
      if (batch) batch.push(message);
      else batches.set(channel, [message]);
    }
    for (const [channel, batch] of batches) this.emitBatch(channel, batch);
  }

  /**
   * Emits to this instance's one-event-per-message sockets. Returns the room's channel when
   * batch-receiving sockets are still owed the message, null for private rooms.
   */
  private deliverNow(message: ChatMessage): string | null {
    this.delivering = true;
    try {
      return this.emitNow(message);
    } finally {
      this.delivering = false;
    }
  }

  private emitNow(message: ChatMessage): string | null {
    if (privateRoomMembers(message.roomId)) {
      const audience = audienceOf(message.roomId);
      this.io.local.to(audience).emit('message', message);
      this.counter.messagesDelivered(
        message.roomId,
        audience.reduce((sockets, channel) => sockets + this.socketsIn(channel), 0),
      );
      return null;
    }
    const channel = roomChannel(message.roomId);
    this.io.local.to(eachChannel(channel)).emit('message', message);
    this.counter.messagesDelivered(message.roomId, this.socketsIn(eachChannel(channel)));
    return channel;
  }

  private socketsIn(channel: string): number {
    return this.index.socketsIn(channel);
  }

  private addToBatch(channel: string, message: ChatMessage): void {
    const batch = this.batches.get(channel);
    if (batch) batch.push(message);
    else this.batches.set(channel, [message]);
  }

  private emitBatch(channel: string, messages: ChatMessage[]): void {
    const batched = batchedChannel(channel);
    this.delivering = true;
    try {
      this.io.local.to(batched).emit(MESSAGE_BATCH_EVENT, messages);
    } finally {
      this.delivering = false;
    }
    const sockets = this.socketsIn(batched);
    const [first] = messages;
    if (first && sockets > 0)
      this.counter.messagesDelivered(first.roomId, sockets * messages.length);
  }
}
