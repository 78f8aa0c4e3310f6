/**
 * The Socket.IO handshake reads the HTTP session cookie; without a signed-in session the
 * connection is refused, and the client sees `connect_error` with `data.code`.
 */
import type { FastifyInstance, Session } from 'fastify';
import type { ErrorCode } from '../../../protocol/errors.js';
import type { ChatSocket } from '../realtime/socket-types.js';
import { SESSION_COOKIE, sessionExpiry } from './http-session.js';

interface HandshakeError extends Error {
  data: { code: ErrorCode; message: string };
}

function refusal(code: ErrorCode, message: string): HandshakeError {
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

export function socketAuthMiddleware(app: FastifyInstance) {
  return (socket: ChatSocket, next: (err?: Error) => void) => {
    const cookies = app.parseCookie(socket.handshake.headers.cookie ?? '');
    const signedId = cookies[SESSION_COOKIE];
    if (!signedId) {
      next(refusal('unauthenticated', 'sign in first: no session cookie was sent'));
      return;
    }
    loadSession(app, signedId).then(
      (session) => {
        const user = session?.user;
        if (!session || !user) {
          next(
            refusal('unauthenticated', 'sign in first: the session has expired or was signed out'),
          );
          return;
        }
        socket.data = {
          userId: user.id,
          username: user.username,
          sessionId: session.sessionId,
          sessionExpiresAtMs: sessionExpiry(session),
        };
        next();
      },
      () => next(refusal('unavailable', 'the session could not be checked; try again')),
    );
  };
}
