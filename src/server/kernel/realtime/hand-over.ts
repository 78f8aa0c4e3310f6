/**
 * Closing this instance's connections without losing anything, so that its clients reconnect
 * (through the load balancer, maybe elsewhere) and catch up:
 *
 * 1. every event already received is answered (its ack sent) and what was emitted for these
 *    sockets reaches them before the connections close; an event arriving after that point is
 *    refused with `unavailable`, and its sender sends it again;
 * 2. the transports are closed rather than the sockets disconnected: a Socket.IO client
 *    reconnects by itself after a transport close, never after a server-side disconnect;
 * 3. presence holds the users meanwhile, so the move announces nothing (PresenceHold).
 *
 * Used at shutdown (the caller has stopped accepting TCP connections, so the reconnections land
 * elsewhere) and after a pub/sub gap (see subscription-gaps.ts).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { PendingEvents } from './acks.js';
import type { ChatServer } from './socket-types.js';

const TRANSPORT_CLOSE_TIMEOUT_MS = 2_000;

/** What presence does while connections move (the presence feature implements it). */
export interface PresenceHold {
  /** From now on, closing sockets are expected to come back: nobody is written off yet. */
  hold(): void;
  /** Ends a hold: announces only the users who did not come back. */
  release(): Promise<void>;
  /** At shutdown: removes what is left of this instance once its users had time to move. */
  leave(): Promise<void>;
}

export interface RealtimeParts {
  io: ChatServer;
  pending: PendingEvents;
  presence: PresenceHold;
  /**
   * Sends what is still on its way to this instance's sockets; resolves once the emits made so
   * far have reached them (the adapter delivers locally only after publishing to Redis).
   */
  flush?: () => Promise<void>;
}

/** Shutdown: every client of this instance moves to another one. */
export async function handOverConnections(parts: RealtimeParts): Promise<void> {
  const { io, presence } = parts;
  presence.hold();
  // A client reaching this instance over a connection kept alive must go elsewhere too.
  io.engine.opts.allowRequest = (_request, callback) =>
    callback('this server is shutting down', false);
  const closed = await closeConnections(parts);
  await Promise.race([closed, sleep(TRANSPORT_CLOSE_TIMEOUT_MS, null, { ref: false })]);
  // Whatever is left (a long-polling client between two requests, a handshake under way).
  io.engine.close();
  await presence.leave();
}

/** The clients of this instance reconnect, here or elsewhere, and catch up; nobody goes offline. */
export async function recycleConnections(parts: RealtimeParts): Promise<void> {
  parts.presence.hold();
  try {
    const closed = await closeConnections(parts);
    await Promise.race([closed, sleep(TRANSPORT_CLOSE_TIMEOUT_MS, null, { ref: false })]);
  } finally {
    await parts.presence.release();
  }
}

/**
 * Answers and delivers what is under way, then starts closing every current connection. Each
 * closes once what it has to send (acks included) is written, and from then on it reads
 * nothing. (The engine's own close() would drop unsent packets: an ack lost for a stored
 * message, whose client would then send it again.) Resolves, once the closing has started, to a
 * promise of the connections being closed.
 */
async function closeConnections({ io, pending, flush }: RealtimeParts): Promise<Promise<void>> {
  await pending.drain();
  pending.refusing = true;
  try {
    await pending.drain();
    await flush?.();
    // The adapter's local deliveries run in microtasks after their PUBLISH answers.
    await new Promise<void>((done) => setImmediate(done));
    const connections = new Set([...io.of('/').sockets.values()].map((socket) => socket.conn));
    const closed = [...connections].map(
      (conn) =>
        new Promise<void>((done) => {
          if (conn.readyState === 'closed') return done();
          conn.once('close', () => done());
          conn.close();
        }),
    );
    return Promise.all(closed).then(() => undefined);
  } finally {
    // Closing connections read no more; connections opened from now on are new clients.
    pending.refusing = false;
  }
}
