/**
 * Answering client events. Every handler runs through `answer`, which sends its result or its
 * refusal to the event's ack (mapped by the one error mapper, as HTTP errors are), never throws
 * into Socket.IO, and is tracked so that at shutdown every ack is sent before connections close.
 */
import type { Ack, AckResponse } from '../../../protocol/events.js';
import type { ErrorMapper, FailureLog } from '../error-mapper.js';

/** Where events are logged: failures always, each event at debug level (a pino logger). */
export interface EventLog extends FailureLog {
  debug(context: object, message: string): void;
  isLevelEnabled(level: string): boolean;
}

/** Who an event comes from, on every log line about it. */
export interface EventContext {
  userId: string;
  socketId: string;
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

/** Runs an event's work and answers its ack (when the client sent one) with the outcome. */
export type Answer = <T extends object>(
  event: string,
  ack: unknown,
  context: EventContext,
  work: () => Promise<T>,
) => void;

export function answerer(pending: PendingEvents, errors: ErrorMapper, log: EventLog): Answer {
  return <T extends object>(
    event: string,
    ack: unknown,
    context: EventContext,
    work: () => Promise<T>,
  ) => {
    // The event's name and who sent it, never its payload (message text stays out of logs).
    if (log.isLevelEnabled('debug')) log.debug({ event, ...context }, 'socket event');
    // The seed's client sends no ack; a non-function in its place is ignored too.
    const reply = typeof ack === 'function' ? (ack as Ack<T>) : undefined;
    if (pending.refusing) {
      reply?.({
        ok: false,
        error: { code: 'unavailable', message: 'the server is restarting; send again' },
      });
      return;
    }
    const done = work().then(
      (result) => reply?.({ ok: true, ...result } as AckResponse<T>),
      (error: unknown) => {
        const { code, message } = errors.toRefusal(error, log, { event, ...context });
        reply?.({ ok: false, error: { code, message } });
      },
    );
    pending.track(done);
  };
}
