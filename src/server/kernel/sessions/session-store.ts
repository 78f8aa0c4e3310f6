/**
 * Storage of HTTP sessions for @fastify/session, on Redis with an expiry, so that every instance
 * sees every session and they survive restarts. A signed-in session is also listed in its
 * user's index (`user:{id}:sessions`), so that all of a user's sessions can be ended; destroying
 * one (signing out, a new sign-in over it) ends its live connections too. The shape of the
 * interface (callbacks) is the plugin's.
 */
import { randomBytes } from 'node:crypto';
import type { SessionStore } from '@fastify/session';
import type { Session } from 'fastify';
import type { RedisClient } from '../redis/client.js';
import { sessionKey, sessionSecretKey } from '../redis/keys.js';
import type { SessionEnding } from './session-ending.js';
import { type SessionEndReason, SessionIndex } from './session-ending.js';

type Callback = (err?: unknown) => void;
type CallbackSession = (err: unknown, result?: Session | null) => void;

/** What the store reads of a session the plugin hands it. */
interface SessionShape {
  user?: { id: string };
  cookie?: { expires?: Date | null };
}

export class RedisSessionStore implements SessionStore {
  private readonly index: SessionIndex;

  constructor(
    private readonly redis: RedisClient,
    private readonly ttlS: number,
    private readonly ending: SessionEnding,
    /** Why a destroyed session ended (signing out is the only way the plugin destroys one). */
    private readonly destroyReason: SessionEndReason = 'signed_out',
  ) {
    this.index = new SessionIndex(redis);
  }

  set(sessionId: string, session: Session, callback: Callback): void {
    this.save(sessionId, session as unknown as SessionShape, JSON.stringify(session)).then(
      () => callback(),
      callback,
    );
  }

  get(sessionId: string, callback: CallbackSession): void {
    this.redis
      .get(sessionKey(sessionId))
      .then((json) => callback(null, json ? (JSON.parse(json) as Session) : null), callback);
  }

  destroy(sessionId: string, callback: Callback): void {
    this.ending.endSession(sessionId, this.destroyReason).then(() => callback(), callback);
  }

  private async save(sessionId: string, session: SessionShape, json: string): Promise<void> {
    const userId = session.user?.id;
    const expiresAtMs = session.cookie?.expires?.getTime() ?? Date.now() + this.ttlS * 1000;
    // Listed before it is stored: a session never exists without its index entry.
    if (userId) await this.index.add(userId, sessionId, expiresAtMs);
    // A signed-in session is only ever written over itself: signing in first stores the new
    // session empty (the plugin's regenerate) and then with its user. So a request that loaded
    // a session just before it was ended cannot bring it back by saving it.
    await this.redis.set(sessionKey(sessionId), json, {
      expiration: { type: 'EX', value: this.ttlS },
      ...(userId ? { condition: 'XX' as const } : {}),
    });
  }
}
/**
 * The cookie-signing secret when none is configured: the first instance to start generates one
 * and every other instance, now or after a restart, reads the same one.
 */
export async function sharedSessionSecret(redis: RedisClient): Promise<string> {
  await redis.set(sessionSecretKey(), randomBytes(32).toString('base64url'), { condition: 'NX' });
  const secret = await redis.get(sessionSecretKey());
  if (!secret) throw new Error('the session secret vanished from Redis right after it was set');
  return secret;
}
