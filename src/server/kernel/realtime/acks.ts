/**
 * Answering client events. Every handler runs through `handleClientEvent`, which checks the
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

/**
 * Listens to a client event of the contract on a socket: `work` gets the checked payload, and
 * what it returns is the ack's `{ok: true, ...}` (typed from the contract's ack schema).
 */
export type HandleClientEvent = <E extends ClientEventName>(
  socket: ChatSocket,
  event: E,
  work: (payload: CheckedClientEventPayload<E>) => Promise<AckFields<E>>,
) => void;

export function clientEventHandler(
  pending: PendingEvents,
  errors: ErrorMapper,
  log: EventLog,
): HandleClientEvent {
  return (socket, event, work) => {
    // Who an event comes from, on every log line about it.
    const context = { event, userId: socket.data.userId, socketId: socket.id };
    const listener = (payload: unknown, ack: unknown) => {
      // The event's name and who sent it, never its payload (message text stays out of logs).
      if (log.isLevelEnabled('debug')) log.debug(context, 'socket event');
      // The seed's client sends no ack; a non-function in its place is ignored too.
      const reply =
        typeof ack === 'function' ? (ack as (response: AckResponse) => void) : undefined;
      if (pending.refusing) {
        reply?.({
          ok: false,
          error: { code: 'unavailable', message: 'the server is restarting; send again' },
        });
        return;
      }
      let result: Promise<AckFields<typeof event>>;
      try {
        // Started at once, as the event arrives: events of one socket start in their order.
        const checked = parseInput(clientEvents[event].payload, payload);
        result = work(checked as CheckedClientEventPayload<typeof event>);
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
    };
    // Socket.IO's typed on() cannot follow a generic event name; the listener takes what really
    // arrives (unknown) and checks it.
    socket.on(event, listener as never);
  };
}
