/**
 * Ending sessions, wherever their connections are. A session ends when its key goes from Redis
 * (its cookie then opens nothing) and every instance is told on the `sessions_ended` channel,
 * so that each closes the session's sockets and event streams it holds (see live-sessions.ts).
 *
 * It needs nothing but a Redis client, so a command-line tool can end sessions (ban a user,
 * reset a password) as well as a running instance.
 */
import type { RedisClient } from '../redis/client.js';
import { SESSIONS_ENDED_CHANNEL, sessionKey, userSessionsKey } from '../redis/keys.js';

/** Why a session ended; instances log it, clients may be told. */
export type SessionEndReason =
  'signed_out' | 'signed_out_everywhere' | 'password_changed' | 'expired' | 'banned' | 'deleted';

/** The notice every instance receives on SESSIONS_ENDED_CHANNEL. */
export interface SessionsEndedNotice {
  sessionIds: string[];
  reason: SessionEndReason;
}

const SESSION_END_REASONS: readonly string[] = [
  'signed_out',
  'signed_out_everywhere',
  'password_changed',
  'expired',
  'banned',
  'deleted',
] satisfies SessionEndReason[];

/** Reads a notice from the channel; null for anything else. */
export function parseSessionsEndedNotice(raw: string): SessionsEndedNotice | null {
  try {
    const value = JSON.parse(raw) as Partial<SessionsEndedNotice>;
    const ids = value.sessionIds;
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) return null;
    if (typeof value.reason !== 'string' || !SESSION_END_REASONS.includes(value.reason)) {
      return null;
    }
    return { sessionIds: ids, reason: value.reason as SessionEndReason };
  } catch {
    return null;
  }
}

/** The user a stored session belongs to, from its JSON; null for a session nobody signed in to. */
export function userIdOfStoredSession(json: string): string | null {
  try {
    const id = (JSON.parse(json) as { user?: { id?: unknown } }).user?.id;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}

/** When a stored session expires (ms since the epoch), from its JSON; null when unknown. */
export function expiryOfStoredSession(json: string): number | null {
  try {
    const expires = (JSON.parse(json) as { cookie?: { expires?: unknown } }).cookie?.expires;
    const ms = typeof expires === 'string' ? Date.parse(expires) : NaN;
    return Number.isNaN(ms) ? null : ms;
  } catch {
    return null;
  }
}

/** The per-user index of sessions: how all of a user's sessions are found. */
export class SessionIndex {
  constructor(private readonly redis: RedisClient) {}

  /**
   * Records a session of a user until it expires. Every session lives SESSION_TTL_S from its
   * last save, so the one saved now expires last: the index key may expire with it. Entries of
   * sessions that expired meanwhile are pruned here.
   */
  async add(userId: string, sessionId: string, expiresAtMs: number): Promise<void> {
    const key = userSessionsKey(userId);
    await Promise.all([
      this.redis.zAdd(key, { score: expiresAtMs, value: sessionId }),
      this.redis.zRemRangeByScore(key, '-inf', Date.now()),
      this.redis.pExpireAt(key, Math.ceil(expiresAtMs)),
    ]);
  }

  async remove(userId: string, sessionId: string): Promise<void> {
    await this.redis.zRem(userSessionsKey(userId), sessionId);
  }

  /** The user's sessions that have not expired. */
  sessionsOf(userId: string): Promise<string[]> {
    return this.redis.zRangeByScore(userSessionsKey(userId), Date.now(), '+inf');
  }
}

export class SessionEnding {
  private readonly index: SessionIndex;

  constructor(private readonly redis: RedisClient) {
    this.index = new SessionIndex(redis);
  }

  /**
   * Ends one session: its cookie stops working and its connections close on every instance.
   * Answers false when there was no such session (already ended, expired, or never signed in).
   */
  async endSession(sessionId: string, reason: SessionEndReason): Promise<boolean> {
    const stored = await this.redis.getDel(sessionKey(sessionId));
    if (stored === null) return false;
    const userId = userIdOfStoredSession(stored);
    if (userId) await this.index.remove(userId, sessionId);
    await this.announce([sessionId], reason);
    return true;
  }

  /**
   * Ends every session of a user, or every one but `except` (the caller's own, after a password
   * change). Answers the ids of the sessions ended.
   */
  async endSessionsOf(
    userId: string,
    reason: SessionEndReason,
    { except }: { except?: string } = {},
  ): Promise<string[]> {
    const key = userSessionsKey(userId);
    const sessionIds = (await this.redis.zRange(key, 0, -1)).filter((id) => id !== except);
    if (sessionIds.length === 0) return [];
    // One key per command: the data model stays usable on a Redis Cluster.
    await Promise.all([
      ...sessionIds.map((id) => this.redis.del(sessionKey(id))),
      this.redis.zRem(key, sessionIds),
    ]);
    await this.announce(sessionIds, reason);
    return sessionIds;
  }

  private async announce(sessionIds: string[], reason: SessionEndReason): Promise<void> {
    const notice: SessionsEndedNotice = { sessionIds, reason };
    await this.redis.publish(SESSIONS_ENDED_CHANNEL, JSON.stringify(notice));
  }
}
