/**
 * HTTP sessions: a signed, HttpOnly, SameSite=Lax cookie naming a session kept in Redis. The
 * socket handshake reads the same cookie (see realtime/socket-auth.ts).
 */
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SessionUser } from '../../protocol/models.js';
import { unauthenticated } from '../domain/errors.js';
import type { RedisSessionStore } from '../store/session-store.js';

declare module 'fastify' {
  interface Session {
    user?: SessionUser;
  }
}

export const SESSION_COOKIE = 'chat.sid';

export interface SessionOptions {
  secret: string;
  store: RedisSessionStore;
  ttlS: number;
  secure: 'auto' | boolean;
}

export async function registerSessions(app: FastifyInstance, options: SessionOptions) {
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: options.secret,
    cookieName: SESSION_COOKIE,
    store: options.store,
    saveUninitialized: false,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: options.secure,
      path: '/',
      maxAge: options.ttlS * 1000,
    },
  });
}

/** The signed-in user, or a 401 refusal. */
export function requireUser(request: FastifyRequest): SessionUser {
  const user = request.session.get('user');
  if (!user) throw unauthenticated();
  return user;
}
