/**
 * The live connections of each session on this instance — Socket.IO sockets and `/stream`
 * responses — closed as soon as their session ends:
 *
 * - ended anywhere (signed out, signed out everywhere, a password change, a ban): the notice on
 *   the `sessions_ended` channel reaches every instance within milliseconds;
 * - expired: a timer per session fires at its expiry, and asks Redis whether a request renewed
 *   it meanwhile before closing anything;
 * - a connection opened while its session was being ended (the handshake read it a moment
 *   before): checked once right after it is registered;
 * - a notice missed while the subscriber was cut off from Redis: every session held here is
 *   checked again when the subscription is back.
 */
import type { Logger } from 'pino';
import type { RedisClient } from '../redis/client.js';
import { SESSIONS_ENDED_CHANNEL, sessionKey } from '../redis/keys.js';
import {
  type SessionEndReason,
  expiryOfStoredSession,
  parseSessionsEndedNotice,
} from './session-ending.js';

/** Closes one connection; told why its session ended. */
export type CloseConnection = (reason: SessionEndReason) => void;

/** Timers fire a little after the expiry, so the session key is gone from Redis by then. */
const EXPIRY_SLACK_MS = 250;
/** setTimeout's longest delay; a later expiry is checked again on the way. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface HeldSession {
  connections: Set<CloseConnection>;
  expiresAtMs: number;
  timer: NodeJS.Timeout | null;
}

export class LiveSessions {
  private readonly sessions = new Map<string, HeldSession>();
  private started = false;

  constructor(
    /** The command connection. */
    private readonly redis: RedisClient,
    /** A connection of its own for the channel (a subscribing connection runs no commands). */
    private readonly subscriber: RedisClient,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    await this.subscriber.subscribe(SESSIONS_ENDED_CHANNEL, (raw) => {
      const notice = parseSessionsEndedNotice(raw);
      if (notice) this.endHere(notice.sessionIds, notice.reason);
    });
    // Every 'ready' after this one ends a gap in which notices may have been missed.
    this.subscriber.on('ready', () => void this.recheckAll());
    this.started = true;
  }

  /**
   * Holds a live connection of a session until the connection closes by itself (call the
   * answered function then) or the session ends (`close` is called).
   */
  hold(sessionId: string, expiresAtMs: number, close: CloseConnection): () => void {
    let held = this.sessions.get(sessionId);
    if (!held) {
      held = { connections: new Set(), expiresAtMs, timer: null };
      this.sessions.set(sessionId, held);
      this.scheduleExpiry(sessionId, held);
    }
    held.connections.add(close);
    void this.recheck(sessionId);
    return () => {
      const current = this.sessions.get(sessionId);
      if (!current?.connections.delete(close) || current.connections.size > 0) return;
      if (current.timer) clearTimeout(current.timer);
      this.sessions.delete(sessionId);
    };
  }

  /** Closes this instance's connections of these sessions. */
  endHere(sessionIds: readonly string[], reason: SessionEndReason): void {
    for (const sessionId of sessionIds) {
      const held = this.sessions.get(sessionId);
      if (!held) continue;
      this.sessions.delete(sessionId);
      if (held.timer) clearTimeout(held.timer);
      this.log.info({ reason, connections: held.connections.size }, 'session ended');
      for (const close of held.connections) close(reason);
    }
  }

  /** Connections held now (for tests and metrics). */
  get connectionCount(): number {
    let count = 0;
    for (const held of this.sessions.values()) count += held.connections.size;
    return count;
  }

  async close(): Promise<void> {
    for (const held of this.sessions.values()) if (held.timer) clearTimeout(held.timer);
    this.sessions.clear();
    if (this.started) await this.subscriber.unsubscribe(SESSIONS_ENDED_CHANNEL).catch(() => {});
  }

  private scheduleExpiry(sessionId: string, held: HeldSession): void {
    const delayMs = Math.min(
      Math.max(held.expiresAtMs - Date.now(), 0) + EXPIRY_SLACK_MS,
      MAX_TIMER_MS,
    );
    held.timer = setTimeout(() => {
      held.timer = null;
      void this.recheck(sessionId);
    }, delayMs);
    // Pending expiries must not keep a stopping process alive.
    held.timer.unref();
  }

  /** Asks Redis whether a session still lives: ends it here if not, else waits for its expiry. */
  private async recheck(sessionId: string): Promise<void> {
    let stored: string | null;
    try {
      stored = await this.redis.get(sessionKey(sessionId));
    } catch (error) {
      // Redis is away: nothing can be decided now; the next expiry or reconnection asks again.
      this.log.warn({ err: error }, 'could not check a live session');
      return;
    }
    const held = this.sessions.get(sessionId);
    if (!held) return;
    const expiresAtMs = stored === null ? null : expiryOfStoredSession(stored);
    if (expiresAtMs === null || expiresAtMs <= Date.now()) {
      this.endHere([sessionId], 'expired');
      return;
    }
    if (expiresAtMs !== held.expiresAtMs || !held.timer) {
      if (held.timer) clearTimeout(held.timer);
      held.expiresAtMs = expiresAtMs;
      this.scheduleExpiry(sessionId, held);
    }
  }

  private async recheckAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((sessionId) => this.recheck(sessionId)));
  }
}
