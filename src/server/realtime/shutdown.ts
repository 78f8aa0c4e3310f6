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
import type { ChatServer } from './delivery.js';
import type { PresenceTracker } from './presence-tracker.js';

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
  // Synchronously after the drain: no event can slip in between.
  io.engine.close();
  await presence.leave();
}
