/**
 * The Socket.IO handshake reads the HTTP session cookie. Without a signed-in session it is refused
 * before Engine.IO opens a connection or upgrades to WebSocket (an anonymous client costs one
 * session lookup, no socket); the session found there is handed to the Socket.IO middleware,
 * which refuses with `connect_error` and `data.code` a session that ended in between.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, Session } from 'fastify';
import type { ErrorCode } from '../../../protocol/errors.js';
import type { HandshakeCheck } from '../realtime/handshake-checks.js';
import type { ChatSocket } from '../realtime/socket-types.js';
import { CHANGE_PASSWORD_FIRST, SESSION_COOKIE, sessionExpiry } from './http-session.js';

interface HandshakeError extends Error {
  data: { code: ErrorCode; message: string };
}

/** A refusal by a Socket.IO middleware: the client's `connect_error` carries `data.code`. */
export function refusal(code: ErrorCode, message: string): HandshakeError {
  return Object.assign(new Error(message), { data: { code, message } });
}

/** Loads the session named by a signed cookie value, or null. */
function loadSession(
  app: FastifyInstance,
  signedId: string,
): Promise<(Session & { sessionId: string }) | null> {
  return new Promise((done, fail) => {
    const holder: { session?: Session & { sessionId: string } } = {};
    app.decryptSession(signedId, holder, (error?: unknown) => {
      if (error) fail(error);
      else done(holder.session ?? null);
    });
  });
}

type LoadedSession = Session & { sessionId: string };

/** Sessions found by the handshake check, by the handshake's request (which the socket keeps). */
const checkedSessions = new WeakMap<IncomingMessage, LoadedSession>();

const NO_COOKIE = 'sign in first: no session cookie was sent';
const NO_SESSION = 'sign in first: the session has expired or was signed out';

function sessionOfCookie(app: FastifyInstance, cookieHeader: string | undefined) {
  const signedId = app.parseCookie(cookieHeader ?? '')[SESSION_COOKIE];
  return signedId ? loadSession(app, signedId) : Promise.resolve(undefined);
}

/** Engine.IO's check: a handshake without a signed-in session is refused before any socket. */
export function sessionHandshakeCheck(app: FastifyInstance): HandshakeCheck {
  return async (request) => {
    const session = await sessionOfCookie(app, request.headers.cookie);
    if (session === undefined) return NO_COOKIE;
    if (!session?.user) return NO_SESSION;
    checkedSessions.set(request, session);
    return null;
  };
}

/**
 * The session the handshake check loaded is needed once, by the middleware: the WeakMap entry
 * would otherwise keep it (the Session, its cookie and options, ≈ 1.4 KB) for as long as the
 * handshake's request lives. Engine.IO keeps that request (with its response and, for a
 * long-polling start, that request's TCP socket) for the connection's whole life, ≈ 2 KB, though
 * nothing reads it once the socket is signed in: Socket.IO copied its headers, address and query
 * into `socket.handshake` when the socket was made, and Engine.IO reads it only in its
 * constructor (polling requests and the WebSocket upgrade bring their own). So it is let go, as
 * Socket.IO's "Memory usage" page suggests (there at once; here after this middleware read it).
 */
function forgetHandshakeRequest(socket: ChatSocket): void {
  checkedSessions.delete(socket.request);
  (socket.conn as { request: IncomingMessage | null }).request = null;
}

export function socketAuthMiddleware(app: FastifyInstance) {
  return (socket: ChatSocket, next: (err?: Error) => void) => {
    const checked = checkedSessions.get(socket.request);
    const lookup = checked
      ? Promise.resolve(checked)
      : sessionOfCookie(app, socket.handshake.headers.cookie);
    lookup.then(
      (session) => {
        if (session === undefined) {
          next(refusal('unauthenticated', NO_COOKIE));
          return;
        }
        const user = session?.user;
        if (!session || !user) {
          next(refusal('unauthenticated', NO_SESSION));
          return;
        }
        if (session.passwordChangeRequired) {
          next(refusal('forbidden', CHANGE_PASSWORD_FIRST));
          return;
        }
        socket.data = {
          userId: user.id,
          username: user.username,
          sessionId: session.sessionId,
          sessionExpiresAtMs: sessionExpiry(session),
        };
        forgetHandshakeRequest(socket);
        next();
      },
      () => next(refusal('unavailable', 'the session could not be checked; try again')),
    );
  };
}
