/**
 * Checks a Socket.IO handshake must pass before Engine.IO opens a connection (long-polling or a
 * WebSocket upgrade): Engine.IO's one `allowRequest` hook, shared by every check that needs it.
 * A refused handshake costs no session lookup and no socket. The Socket.IO middleware (the
 * session, socket-session.ts) runs after these, once the connection exists.
 */
import type { IncomingMessage } from 'node:http';
import type { ChatServer } from './socket-types.js';

/** Answers why a handshake is refused, or null to let it through. */
export type HandshakeCheck = (request: IncomingMessage) => string | null | Promise<string | null>;

/**
 * The Engine.IO 3 JSONP transport (`?j=0`) answers with script (`___eio[0]("…")`) that any
 * site may include; this chat's clients and the demo's client poll with XHR instead.
 */
export const refuseJsonp: HandshakeCheck = (request) =>
  new URL(request.url ?? '/', 'http://chat.invalid').searchParams.has('j')
    ? 'the JSONP transport is not offered: poll with XHR or connect over WebSocket'
    : null;

export class HandshakeChecks {
  private readonly checks: HandshakeCheck[] = [];

  add(check: HandshakeCheck): this {
    this.checks.push(check);
    return this;
  }

  /** Makes the checks Engine.IO's `allowRequest`. */
  install(io: ChatServer): void {
    io.engine.opts.allowRequest = (request, callback) => {
      this.firstRefusal(request).then(
        (refusal) => callback(refusal, refusal === null),
        () => callback('the handshake could not be checked; try again', false),
      );
    };
  }

  private async firstRefusal(request: IncomingMessage): Promise<string | null> {
    for (const check of this.checks) {
      const refusal = await check(request);
      if (refusal !== null) return refusal;
    }
    return null;
  }
}
