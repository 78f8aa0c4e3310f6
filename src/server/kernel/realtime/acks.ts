/**
 * Answering client events. Every handler runs through `clientEventHandler`, which checks the
 * event's payload against the contract (protocol/events.ts), sends the handler's result or its
 * refusal to the event's ack (mapped by the one error mapper, as HTTP errors are), never throws
 * into Socket.IO, and is tracked so that at shutdown every ack is sent before connections close.
 */
import {
  type AckFields,
  type AckResponse,
  type CheckedClientEventPayload,
  type ClientEventName,
  clientEvents,
} from '../../../protocol/events.js';
import type { ErrorMapper, FailureLog } from '../error-mapper.js';
import { parseInput } from '../validation.js';
import type { ChatSocket } from './socket-types.js';

/** Where events are logged: failures always, each event at debug level (a pino logger). */
export interface EventLog extends FailureLog {
  debug(context: object, message: string): void;
  isLevelEnabled(level: string): boolean;
}

/** Socket event handlers still at work, so their acks can be sent before connections close. */
export class PendingEvents {
  private readonly pending = new Set<Promise<unknown>>();
  /** While set, events are refused: their connections are closing. */
  refusing = false;

  track(work: Promise<unknown>): void {
    this.pending.add(work);
    const forget = () => this.pending.delete(work);
    work.then(forget, forget);
  }

  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}

/** What answers one client event of the contract, for every socket: `payload` is checked. */
export type ClientEventWork<E extends ClientEventName> = (
  socket: ChatSocket,
  payload: CheckedClientEventPayload<E>,
) => Promise<AckFields<E>>;

/**
 * The client events' handlers, shared by every socket: a feature registers each of its events
 * once (`on`), and a new socket gets one shared listener per event (`listen`). Nothing is made per
 * socket, no closure, no logging context: with 20k idle sockets a closure per socket and event
 * was ~3.8 KB of each connection (docs/performance.md, "Connections and reconnect storms").
 * What `work` returns is the ack's `{ok: true, ...}` (typed from the contract's ack schema).
 */
export interface HandleClientEvent {
  on<E extends ClientEventName>(event: E, work: ClientEventWork<E>): void;
  listen(socket: ChatSocket): void;
}

type SharedListener = (this: ChatSocket, payload: unknown, ack: unknown) => void;

export function clientEventHandler(
  pending: PendingEvents,
  errors: ErrorMapper,
  log: EventLog,
): HandleClientEvent {
  const listeners = new Map<ClientEventName, SharedListener>();

  function answer<E extends ClientEventName>(
    socket: ChatSocket,
    event: E,
    work: ClientEventWork<E>,
    payload: unknown,
    ack: unknown,
  ): void {
    // Who an event comes from, on every log line about it.
    const context = { event, userId: socket.data.userId, socketId: socket.id };
    // The event's name and who sent it, never its payload (message text stays out of logs).
    if (log.isLevelEnabled('debug')) log.debug(context, 'socket event');
    // The seed's client sends no ack; a non-function in its place is ignored too.
    const reply = typeof ack === 'function' ? (ack as (response: AckResponse) => void) : undefined;
    if (pending.refusing) {
      reply?.({
        ok: false,
        error: { code: 'unavailable', message: 'the server is restarting; send again' },
      });
      return;
    }
    let result: Promise<AckFields<E>>;
    try {
      // Started at once, as the event arrives: events of one socket start in their order.
      const checked = parseInput(clientEvents[event].payload, payload);
      result = work(socket, checked as CheckedClientEventPayload<E>);
    } catch (error) {
      result = Promise.reject(error);
    }
    const done = result.then(
      (fields) => reply?.({ ok: true, ...fields }),
      (error: unknown) => {
        const { code, message } = errors.toRefusal(error, log, context);
        reply?.({ ok: false, error: { code, message } });
      },
    );
    pending.track(done);
  }

  return {
    on(event, work) {
      if (listeners.has(event)) throw new Error(`client event ${event} has a handler already`);
      // Socket.IO calls an event's listeners with the socket as `this`, so one function serves
      // every socket.
      listeners.set(event, function (this: ChatSocket, payload: unknown, ack: unknown) {
        answer(this, event, work, payload, ack);
      });
    },
    listen(socket) {
      // Socket.IO's typed on() cannot follow a generic event name; the listener takes what
      // really arrives (unknown) and checks it.
      for (const [event, listener] of listeners) socket.on(event, listener as never);
    },
  };
}
