/**
 * The live connection as the features use it: subscriptions to checked server events, the
 * connection's own life (connect, disconnect, refusals), and the acknowledged message events.
 * Features never touch the Socket.IO client themselves, so how events are checked or sent can
 * change here alone.
 */
import type { AckResponse, ChatMessage } from '../../../protocol/index.js';
import {
  serverEventParsers,
  isChatMessage,
  type ServerEvent,
  type ServerEventPayloads,
} from './server-events.js';
import { SEND_ACK_TIMEOUT_MS, type ChatSocket } from './socket.js';

/** The client events the server answers with its copy of the message. */
export type MessageEvent = 'message' | 'message.edit' | 'message.delete';

export interface MessageEventPayload {
  roomId: string;
  message?: string;
  id?: string;
  /** The client's own id of a new message, the same on every try (see protocol/schemas.ts). */
  clientId?: string;
}

/** A refusal by the server's middleware carries its reason's code (`unauthenticated`). */
export type ConnectError = Error & { data?: { code?: string } };

interface TimedMessageEmitter {
  emit(
    event: MessageEvent,
    payload: MessageEventPayload,
    ack: (timeout: Error | null, response: AckResponse<{ message: ChatMessage }>) => void,
  ): unknown;
}

type Unsubscribe = () => void;

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
    const parse = serverEventParsers[event];
    const listener = (raw: unknown) => {
      const payload = parse(raw);
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
    // The shared event type declares the ack optional, which socket.io-client's timeout()
    // typing does not decorate: this is the shape timeout().emit really has for these events.
    const timed = this.socket.timeout(SEND_ACK_TIMEOUT_MS) as unknown as TimedMessageEmitter;
    timed.emit(event, payload, (timeout, response) => {
      if (timeout) fail('No answer from the server.');
      else if (!response.ok) fail(response.error.message);
      else if (isChatMessage(response.message)) done(response.message);
      else fail('The server gave an unexpected answer.');
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
