/**
 * HTTP sessions: a signed, HttpOnly, SameSite=Lax cookie naming a session kept in Redis. The
 * socket handshake reads the same cookie (see socket-session.ts).
 */
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import type { FastifyInstance, FastifyReply, FastifyRequest, Session } from 'fastify';
import type { SessionUser } from '../../../protocol/models.js';
import { forbidden, unauthenticated } from '../errors.js';
import type { RedisSessionStore } from './session-store.js';

declare module 'fastify' {
  interface Session {
    user?: SessionUser;
    /**
     * Set by a sign-in with a password an administrator reset: until the user replaces it, the
     * session may only change it, ask who it is, or sign out.
     */
    passwordChangeRequired?: boolean;
  }
}

export const SESSION_COOKIE = 'chat.sid';

export interface SessionOptions {
  secret: string;
  store: RedisSessionStore;
  ttlS: number;
  secure: 'auto' | boolean;
}

/**
 * How stale a session's saved expiry may get before a request renews it, as a fraction of its
 * lifetime: an active session is re-saved (Redis TTL and cookie) about once per tenth of its
 * lifetime instead of on every request, which cost a Redis write per page read. A session left
 * unused still expires between 90 % and 100 % of SESSION_TTL_S after its last request.
 */
const RENEW_AFTER_FRACTION = 0.1;

export async function registerSessions(app: FastifyInstance, options: SessionOptions) {
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: options.secret,
    cookieName: SESSION_COOKIE,
    store: options.store,
    saveUninitialized: false,
    // Renewed by the hook below when due, not on every request.
    rolling: false,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: options.secure,
      path: '/',
      maxAge: options.ttlS * 1000,
    },
  });
  const ttlMs = options.ttlS * 1000;
  const renewBelowMs = ttlMs * (1 - RENEW_AFTER_FRACTION);
  // Runs after the plugin's own onRequest hook, which loaded (or refused) the session.
  app.addHook('onRequest', async (request, reply) => {
    const session = request.session as Partial<typeof request.session> | undefined;
    const user = session?.get?.('user');
    if (user) logAsUser(request, reply, user.id);
    // The expiry saved with a stored session (the plugin checks it too; its types omit it).
    // New sessions have none: they are saved anyway once signed in.
    const cookie = session?.cookie as { originalExpires?: Date } | undefined;
    const savedExpiry = cookie?.originalExpires;
    if (!session?.get?.('user') || !savedExpiry || !session.save) return;
    if (savedExpiry.getTime() - Date.now() > renewBelowMs) return;
    // Saved now, the plugin sends the renewed cookie with the response.
    await session.save();
  });
}

/** When a loaded session expires: the expiry it was stored with (ms since the epoch). */
export function sessionExpiry(session: Session): number {
  const cookie = session.cookie as { originalExpires?: Date; expires?: Date | null };
  return (cookie.originalExpires ?? cookie.expires ?? new Date()).getTime();
}

/**
 * From now on every line about this request (Fastify's own, its errors) names the user beside
 * its request id.
 */
export function logAsUser(request: FastifyRequest, reply: FastifyReply, userId: string): void {
  request.log = request.log.child({ userId });
  reply.log = request.log;
}

export const CHANGE_PASSWORD_FIRST =
  'change the password an administrator reset first (POST /me/password)';

/**
 * The signed-in user, or a 401 refusal; a 403 while the session must still change a password an
 * administrator reset (whoever was told that password must not be able to use the account).
 */
export function requireUser(request: FastifyRequest): SessionUser {
  const user = requireSignedIn(request);
  if (request.session.get('passwordChangeRequired')) throw forbidden(CHANGE_PASSWORD_FIRST);
  return user;
}

/** The signed-in user even before a required password change: to make it, or to sign out. */
export function requireSignedIn(request: FastifyRequest): SessionUser {
  const user = request.session.get('user');
  if (!user) throw unauthenticated();
  return user;
}
