/**
 * The one fan-out service: who receives which event, and how it gets there. Features hand it an
 * event and a chat room, a user or everyone; the audience rule (channels.ts) decides which
 * sockets, and the Socket.IO Redis adapter carries the emit to the sockets of every instance of
 * this project. Chat messages take their own faster path (message-batching.ts): local first,
 * relayed to the other instances in batches, and batched per room for sockets that opted in.
 *
 * `local` emits reach this instance's sockets only: for events that every instance receives by
 * itself (the seed's servers publish to all of them).
 */
import type { ServerToClientEvents } from '../../../protocol/events.js';
import type { ChatMessage, UserPresence } from '../../../protocol/models.js';
import { audienceOf, roomChannel, userChannel } from './channels.js';
import { LocalRoomIndex } from './local-room-index.js';
import {
  BATCH_WINDOW_MS,
  type DeliveryCounter,
  MessageBatcher,
  RELAY_WINDOW_MS,
  type RedisBarrier,
} from './message-batching.js';
import { PRESENCE_BATCH_MS, PresenceBatcher } from './presence-batching.js';
import type { ChatServer, ChatSocket } from './socket-types.js';

type EventName = keyof ServerToClientEvents;
type Payload<E extends EventName> = Parameters<ServerToClientEvents[E]>[0];

export interface FanOutOptions {
  /** Only this instance's sockets (the event reaches every instance by another way). */
  local?: boolean;
}

export class FanOut {
  private readonly batches: MessageBatcher;
  private readonly presenceBatches: PresenceBatcher;
  private readonly index: LocalRoomIndex;

  /** Call after io.adapter(...): the batcher's mirror channels live in the adapter. */
  constructor(
    private readonly io: ChatServer,
    barrier: RedisBarrier,
    counter: DeliveryCounter,
    { presenceBatchMs = PRESENCE_BATCH_MS, messageBatchMs = BATCH_WINDOW_MS } = {},
  ) {
    this.index = new LocalRoomIndex(io);
    this.batches = new MessageBatcher(io, barrier, counter, this.index, {
      relayMs: RELAY_WINDOW_MS,
      batchMs: messageBatchMs,
    });
    this.presenceBatches = new PresenceBatcher(io, presenceBatchMs);
  }

  /**
   * A user came online or went offline, for every socket: in the window's batch (see
   * presence-batching.ts). `local`: every instance hears the change by itself (seed servers).
   */
  presence(user: UserPresence, options: FanOutOptions = {}): void {
    this.presenceBatches.announce(user, options);
  }

  /** Puts a new socket in the audience of presence changes. */
  followPresence(socket: ChatSocket): void {
    this.presenceBatches.follow(socket);
  }

  /** A chat message for its room's audience, on the fast path (local first, relayed in batches). */
  message(message: ChatMessage, { local = false }: FanOutOptions = {}): void {
    this.batches.deliver(message, local);
  }

  /** Any other event for the audience of a chat room. */
  toRoom<E extends EventName>(
    roomId: string,
    event: E,
    payload: Payload<E>,
    options: FanOutOptions = {},
  ): void {
    this.emit(this.target(options).to(audienceOf(roomId)), event, payload);
  }

  /** An event for every socket of one user (every tab and device). */
  toUser<E extends EventName>(userId: string, event: E, payload: Payload<E>): void {
    this.emit(this.io.to(userChannel(userId)), event, payload);
  }

  /** An event for every connected socket. */
  toEveryone<E extends EventName>(event: E, payload: Payload<E>, options: FanOutOptions = {}) {
    this.emit(this.target(options), event, payload);
  }

  /** An event for a room's audience except the socket it comes from (typing). */
  fromSocketToRoom<E extends EventName>(
    from: ChatSocket,
    roomId: string,
    event: E,
    payload: Payload<E>,
  ): void {
    this.emit(from.to(audienceOf(roomId)), event, payload);
  }

  /**
   * Sends the messages still waiting in a batch or relay window, so an event about one of them
   * (an edit) cannot overtake it: on the other instances the relay arrives first too, as it is
   * published first on the same connection.
   */
  flushMessages(): void {
    this.batches.flushNow();
  }

  /** Sends the presence changes still waiting in their window (at shutdown). */
  flushPresence(): void {
    this.presenceBatches.flush();
  }

  /** The members' sockets follow a private room, so their sends need no access check in Redis. */
  follow(roomId: string, { local = false }: FanOutOptions = {}): void {
    this.target({ local }).in(audienceOf(roomId)).socketsJoin(roomChannel(roomId));
  }

  /** Whether the socket's user follows the room on this instance (their access was checked). */
  follows(socket: ChatSocket, roomId: string): boolean {
    return this.index.follows(socket.data.userId, roomId);
  }

  /** Every socket of the user follows a room (on every instance). */
  userFollows(userId: string, roomId: string): void {
    this.io.in(userChannel(userId)).socketsJoin(roomChannel(roomId));
  }

  /** Every socket of the user stops following a room. */
  userUnfollows(userId: string, roomId: string): void {
    this.io.in(userChannel(userId)).socketsLeave(roomChannel(roomId));
  }

  private target({ local = false }: FanOutOptions) {
    return local ? this.io.local : this.io;
  }

  private emit<E extends EventName>(
    target: { emit(event: E, payload: Payload<E>): boolean },
    event: E,
    payload: Payload<E>,
  ): void {
    target.emit(event, payload);
  }
}
