/**
 * How many live connections — Socket.IO sockets and `/stream` responses — a user holds over every
 * instance, and a cap on it (MAX_CONNECTIONS_PER_USER). Each connection takes a lease: an entry of
 * the sorted set `user:{id}:connection_leases` scored by when it lapses. The instance holding a
 * connection pushes its lease forward on every heartbeat and removes it when the connection
 * closes; a lease of an instance that crashed lapses by itself within LEASE_MS, so a crash never
 * leaves a user locked out. Taking a lease is one script on one key: prune the lapsed ones, count
 * the rest, add this one if there is room.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ChatSocket } from '../realtime/socket-types.js';
import type { RedisClient } from '../redis/client.js';
import { userConnectionLeasesKey } from '../redis/keys.js';
import { refusal } from './socket-session.js';

/** KEYS[1] leases; ARGV: now ms, lapse ms, max, member. Returns 1 (taken) or 0 (full). */
const TAKE_LEASE_SCRIPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
return 1`;

/** KEYS[1] leases; ARGV: lapse ms, members… Pushes the existing ones forward. */
const RENEW_LEASES_SCRIPT = `
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', ARGV[1], ARGV[i]) end
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
return 0`;

export interface ConnectionLeaseOptions {
  /** Connections one user may hold over every instance; 0 turns the cap off. */
  maxPerUser: number;
  /** How often the leases held here are renewed. */
  renewEveryMs: number;
  /** How long a lease lives without renewal: the most a crashed instance's leases linger. */
  leaseMs: number;
}

/** Gives a lease back; safe to call more than once. */
export type ReleaseLease = () => void;

export class ConnectionLeases {
  /** The leases held by this instance, by user id. */
  private readonly held = new Map<string, Set<string>>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: RedisClient,
    private readonly serverId: string,
    private readonly options: ConnectionLeaseOptions,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.options.maxPerUser === 0) return;
    this.timer = setInterval(() => void this.renewAll(), this.options.renewEveryMs);
    this.timer.unref();
  }

  /** Takes a lease for one connection of the user, or answers null when they hold the maximum. */
  async take(userId: string): Promise<ReleaseLease | null> {
    if (this.options.maxPerUser === 0) return () => undefined;
    const member = `${this.serverId}:${randomUUID()}`;
    const now = Date.now();
    const taken = await this.redis.eval(TAKE_LEASE_SCRIPT, {
      keys: [userConnectionLeasesKey(userId)],
      arguments: [
        String(now),
        String(now + this.options.leaseMs),
        String(this.options.maxPerUser),
        member,
      ],
    });
    if (Number(taken) !== 1) return null;
    let mine = this.held.get(userId);
    if (!mine) this.held.set(userId, (mine = new Set()));
    mine.add(member);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const leases = this.held.get(userId);
      leases?.delete(member);
      if (leases?.size === 0) this.held.delete(userId);
      this.redis
        .zRem(userConnectionLeasesKey(userId), member)
        .catch((error: unknown) =>
          this.log.warn({ err: error, userId }, 'a connection lease was left to lapse'),
        );
    };
  }

  /** Gives back every lease held here (the instance is stopping). */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const held = [...this.held];
    this.held.clear();
    await Promise.allSettled(
      held.map(([userId, members]) =>
        this.redis.zRem(userConnectionLeasesKey(userId), [...members]),
      ),
    );
  }

  private async renewAll(): Promise<void> {
    const lapseAt = String(Date.now() + this.options.leaseMs);
    // One command per user; node-redis pipelines them on the one connection.
    const renewals = [...this.held].map(([userId, members]) =>
      this.redis.eval(RENEW_LEASES_SCRIPT, {
        keys: [userConnectionLeasesKey(userId)],
        arguments: [lapseAt, ...members],
      }),
    );
    const failed = (await Promise.allSettled(renewals)).filter((r) => r.status === 'rejected');
    if (failed.length > 0) {
      this.log.warn({ failed: failed.length }, 'connection leases could not be renewed');
    }
  }
}

/** What a refused connection says: the limit and what to do. */
export const tooManyConnections = (max: number) =>
  `too many connections: a user may hold ${max} sockets and streams open at once; close one`;

/**
 * Socket.IO middleware, after the session's: a socket is admitted with a lease, which it gives
 * back when its Engine.IO connection closes — whether or not the socket ever got connected.
 */
export function limitSocketConnections(
  leases: ConnectionLeases,
  max: number,
  onRefused: () => void,
) {
  return (socket: ChatSocket, next: (err?: Error) => void) => {
    leases.take(socket.data.userId).then(
      (release) => {
        if (!release) {
          onRefused();
          next(refusal('too_many_connections', tooManyConnections(max)));
          return;
        }
        if (socket.conn.readyState !== 'open') release();
        else socket.conn.once('close', release);
        next();
      },
      () => next(refusal('unavailable', 'the connection could not be counted; try again')),
    );
  };
}
