/**
 * A clean stop of one instance's realtime side, so that its clients move to the other instances
 * behind the load balancer and lose nothing:
 *
 * 1. every event already received is answered (its ack sent) before the connections close;
 * 2. the transports are closed rather than the sockets disconnected: a Socket.IO client
 *    reconnects by itself after a transport close, never after a server-side disconnect;
 * 3. the users get a moment to show up on another instance before they are written off, so
 *    moving them announces nothing (see PresenceTracker.leave).
 *
 * The caller stops accepting TCP connections first, so the reconnections land elsewhere.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatServer } from './delivery.js';
import type { PresenceTracker } from './presence-tracker.js';

const TRANSPORT_CLOSE_TIMEOUT_MS = 2_000;

/** Socket event handlers still at work, so a shutdown can wait for their acks. */
export class PendingEvents {
  private readonly pending = new Set<Promise<unknown>>();

  track(work: Promise<unknown>): void {
    this.pending.add(work);
    const forget = () => this.pending.delete(work);
    work.then(forget, forget);
  }

  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}

export interface HandoverParts {
  io: ChatServer;
  pending: PendingEvents;
  presence: PresenceTracker;
}

export async function handOverConnections({ io, pending, presence }: HandoverParts) {
  presence.beginHandover();
  // A client reaching this instance over a connection kept alive must go elsewhere too.
  io.engine.opts.allowRequest = (_request, callback) =>
    callback('this server is shutting down', false);
  await pending.drain();
  await closeTransports(io);
  await presence.leave();
}

/**
 * Closes each connection once what it has to send (acks included) is written; from then on it
 * reads nothing, so an event arriving now is not handled and the client sees it fail. The
 * engine's own close() would drop unsent packets: an ack lost for a stored message, whose client
 * would then send it again.
 */
async function closeTransports(io: ChatServer) {
  const connections = new Set([...io.of('/').sockets.values()].map((socket) => socket.conn));
  const closed = [...connections].map(
    (conn) =>
      new Promise<void>((done) => {
        if (conn.readyState === 'closed') return done();
        conn.once('close', () => done());
        conn.close();
      }),
  );
  // A long-polling client may be between two requests: do not wait for it for long.
  await Promise.race([
    Promise.all(closed),
    sleep(TRANSPORT_CLOSE_TIMEOUT_MS, null, { ref: false }),
  ]);
  io.engine.close();
}
