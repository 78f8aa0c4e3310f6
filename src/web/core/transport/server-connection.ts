/**
 * The live connection as the features use it: subscriptions to checked server events, the
 * connection's own life (connect, disconnect, refusals), and the acknowledged message events.
 * Features never touch the Socket.IO client themselves, so how events are checked or sent can
 * change here alone.
 */
import { z } from 'zod';
import {
  ackRefusalSchema,
  ackResponseSchemaOf,
  clientEvents,
  type AckFields,
  type ChatMessage,
  type ClientEventName,
  type ClientEventPayload,
} from '../../../protocol/index.js';
import { parseServerEvent, type ServerEvent, type ServerEventPayloads } from './server-events.js';
import { SEND_ACK_TIMEOUT_MS, type ChatSocket } from './socket.js';

/** The client events the server answers with its copy of the message. */
export type MessageEvent = 'message' | 'message.edit' | 'message.delete';

export interface MessageEventPayload {
  roomId: string;
  message?: string;
  id?: string;
  /** The client's own id of a new message, the same on every try (see protocol/schemas.ts). */
  clientId?: string;
  /** A new message that replies to this one. */
  replyTo?: string;
}

/** A refusal by the server's middleware carries its reason's code (`unauthenticated`). */
/**
 * A failed connection attempt: `data.code` when the server's middleware refused it, and for a
 * transport failure Engine.IO's `description`, the HTTP status of the refused long-polling
 * request (0 when no server answered at all).
 */
export type ConnectError = Error & { data?: { code?: string }; description?: unknown };

type Unsubscribe = () => void;

/** `message`, `message.edit` and `message.delete` answer alike: the stored message, or a refusal. */
const messageAckSchema = z.discriminatedUnion('ok', [
  clientEvents.message.ack.extend({ ok: z.literal(true) }),
  ackRefusalSchema,
]);

export class ServerConnection {
  constructor(private readonly socket: ChatSocket) {}

  get connected(): boolean {
    return this.socket.connected;
  }

  /** False once Socket.IO gave up reconnecting by itself (a refusal by the server). */
  get active(): boolean {
    return this.socket.active;
  }

  connect(): void {
    this.socket.connect();
  }

  disconnect(): void {
    this.socket.disconnect();
  }

  /** Listens to a server event; malformed payloads never reach `handler`. */
  on<E extends ServerEvent>(
    event: E,
    handler: (payload: ServerEventPayloads[E]) => void,
  ): Unsubscribe {
    const listener = (raw: unknown) => {
      const payload = parseServerEvent(event, raw);
      if (payload !== null) handler(payload);
    };
    return this.listen(event, listener);
  }

  onConnect(handler: () => void): Unsubscribe {
    return this.listen('connect', handler);
  }

  onDisconnect(handler: (reason: string) => void): Unsubscribe {
    return this.listen('disconnect', handler as (...args: unknown[]) => void);
  }

  onConnectError(handler: (error: ConnectError) => void): Unsubscribe {
    return this.listen('connect_error', handler as (...args: unknown[]) => void);
  }

  /**
   * Emits an acknowledged message event and reports the server's copy of the message or the
   * reason for a refusal. Callbacks rather than a promise: the answer shows in the same turn.
   */
  sendMessageEvent(
    event: MessageEvent,
    payload: MessageEventPayload,
    done: (message: ChatMessage) => void,
    fail: (reason: string) => void,
  ): void {
    const answered = (timeout: Error | null, response: unknown) => {
      if (timeout) return fail('No answer from the server.');
      // The ack is checked against the schema the server answers by, like every event.
      const checked = messageAckSchema.safeParse(response);
      if (!checked.success) fail('The server gave an unexpected answer.');
      else if (!checked.data.ok) fail(checked.data.error.message);
      else done(checked.data.message);
    };
    this.socket.timeout(SEND_ACK_TIMEOUT_MS).emit(event, payload as never, answered);
  }

  /**
   * Emits an acknowledged event and resolves with the fields of the server's `{ok: true}`
   * answer, checked against the contract; rejects with the refusal's sentence. Offline, it
   * rejects at once: Socket.IO would otherwise send it late, after the caller gave up.
   */
  request<E extends ClientEventName>(
    event: E,
    payload: ClientEventPayload<E>,
  ): Promise<AckFields<E>> {
    if (!this.socket.connected) return Promise.reject(new Error('You are offline.'));
    return new Promise((resolve, reject) => {
      const answered = (timeout: Error | null, response: unknown) => {
        if (timeout) return reject(new Error('No answer from the server.'));
        const checked = ackResponseSchemaOf(event).safeParse(response);
        if (!checked.success) return reject(new Error('The server gave an unexpected answer.'));
        const answer = checked.data;
        if (answer.ok) resolve(answer as AckFields<E>);
        else reject(new Error(answer.error.message));
      };
      // Socket.IO's typed emit cannot follow a generic event name; the answer is checked above.
      const timed = this.socket.timeout(SEND_ACK_TIMEOUT_MS) as unknown as {
        emit(event: E, payload: unknown, ack: typeof answered): unknown;
      };
      timed.emit(event, payload, answered);
    });
  }

  /** Started or stopped typing: no answer is awaited (the notice is stale soon anyway). */
  sendTyping(payload: { roomId: string; typing: boolean }): void {
    this.socket.emit('typing', payload, () => undefined);
  }

  private listen(event: string, listener: (...args: unknown[]) => void): Unsubscribe {
    // Socket.IO's typed `on` knows only the declared events and their declared payloads; the
    // listeners here take `unknown` on purpose, to check what really came.
    const socket = this.socket as unknown as {
      on(event: string, listener: (...args: unknown[]) => void): unknown;
      off(event: string, listener: (...args: unknown[]) => void): unknown;
    };
    socket.on(event, listener);
    return () => {
      socket.off(event, listener);
    };
  }
}
