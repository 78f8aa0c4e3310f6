/**
 * Storage of HTTP sessions for @fastify/session, on Redis with an expiry, so that every instance
 * sees every session and they survive restarts. The shape of the interface (callbacks) is the
 * plugin's.
 */
import { randomBytes } from 'node:crypto';
import type { SessionStore } from '@fastify/session';
import type { Session } from 'fastify';
import type { RedisClient } from '../redis/client.js';
import { sessionKey, sessionSecretKey } from '../redis/keys.js';

type Callback = (err?: unknown) => void;
type CallbackSession = (err: unknown, result?: Session | null) => void;

export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly ttlS: number,
  ) {}

  set(sessionId: string, session: Session, callback: Callback): void {
    this.redis
      .set(sessionKey(sessionId), JSON.stringify(session), {
        expiration: { type: 'EX', value: this.ttlS },
      })
      .then(() => callback(), callback);
  }

  get(sessionId: string, callback: CallbackSession): void {
    this.redis
      .get(sessionKey(sessionId))
      .then((json) => callback(null, json ? (JSON.parse(json) as Session) : null), callback);
  }

  destroy(sessionId: string, callback: Callback): void {
    this.redis.del(sessionKey(sessionId)).then(() => callback(), callback);
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
