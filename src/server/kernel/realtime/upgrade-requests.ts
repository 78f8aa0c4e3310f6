/**
 * Lets go of each WebSocket upgrade's HTTP request once Engine.IO's middlewares have run.
 *
 * For an upgrade, Engine.IO hands its middlewares a stand-in response that holds the request and
 * stays referenced by a `close` listener on the TCP socket, so the request (≈ 2 KB with its
 * headers, raw headers and stream state) lived as long as the connection. Only middlewares use
 * that response (helmet's `setHeader`, registered before this one); past them nothing reads it.
 * The request Engine.IO keeps on the connection itself is let go by the session middleware
 * (kernel/sessions/socket-session.ts), once it has read it.
 */
import { type IncomingMessage, ServerResponse } from 'node:http';
import type { ChatServer } from './socket-types.js';

/** Register after every other engine middleware: those may still set headers on the response. */
export function releaseUpgradeRequests(io: ChatServer): void {
  io.engine.use((_request: IncomingMessage, response: ServerResponse, next: () => void) => {
    // A long-polling request's real ServerResponse is Node's to manage.
    if (!(response instanceof ServerResponse)) (response as { req: unknown }).req = null;
    next();
  });
}
