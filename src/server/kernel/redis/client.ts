/**
 * Creating node-redis clients. Every client, duplicates for subscriptions included, gets an
 * 'error' listener: without one a connection error would crash the process instead of being
 * retried by the client's reconnect strategy.
 */
import {
  ClientOfflineError,
  type RedisClientType,
  type RedisClusterType,
  createClient,
} from 'redis';
import type { Logger } from 'pino';
import { duplicateRedisCluster, isRedisCluster } from './cluster.js';
import { CommandWatchdog } from './command-watchdog.js';

/**
 * A single Redis or a Redis Cluster (REDIS_CLUSTER_NODES; see cluster.ts): the stores use the
 * commands both have, each on keys of one hash slot.
 */
export type RedisClient = RedisClientType | RedisClusterType;

/** Reconnect quickly at first, then every 2 s at most, for ever: Redis restarts are survivable. */
const reconnectStrategy = (retries: number) => Math.min(50 * 2 ** retries, 2000);

/** Where a client reports its commands and errors (the instance's metrics). */
export interface RedisObserver {
  /** A command (or a whole MULTI) answered after this many seconds. */
  redisCommand(seconds: number): void;
  redisCommandFailed(reason: string): void;
  /** The connection named `client` reported an error (lost, refused). */
  redisConnectionError(client: string): void;
}

/** node-redis's own default for a command's timeout. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 5000;

/** The timeout each client was made with, for its duplicates. */
const commandTimeouts = new WeakMap<object, number>();

export function createRedisClient(
  url: string,
  logger: Logger,
  name: string,
  observer?: RedisObserver,
  commandTimeoutMs = DEFAULT_COMMAND_TIMEOUT_MS,
): RedisClient {
  const client = createClient({
    url,
    // A silent network partition (or a Redis that stopped answering) keeps the TCP connection
    // open: nothing would ever fail. Each connection PINGs every half timeout, so one that has
    // heard nothing for two timeouts is dead: node-redis drops it and the reconnect strategy
    // makes it again. That includes the pub/sub duplicates (they PING in subscribe mode too),
    // whose 'ready' afterwards makes the clients catch up (realtime/subscription-gaps.ts). Two
    // timeouts, not one: a busy event loop reads a late PONG after the idle timer has fired.
    socket: { reconnectStrategy, connectTimeout: 5000, socketTimeout: 2 * commandTimeoutMs },
    pingInterval: Math.floor(commandTimeoutMs / 2),
    // No timer per command (node-redis's default is an AbortSignal.timeout each): every round
    // trip gets its deadline from the client's one watchdog instead (guardRoundTrips below).
    commandOptions: { timeout: 0 },
    // Fail at once while Redis is away instead of queueing: a send then gets an error ack
    // straight away rather than hanging until Redis is back.
    disableOfflineQueue: true,
    // Maintenance push notifications are a Redis Enterprise feature; node-redis 6 would ask for
    // them on every connection (and resolve the host name to choose an endpoint type).
    maintNotifications: 'disabled',
  });
  let lastErrorLoggedAt = 0;
  client.on('error', (error: Error) => {
    observer?.redisConnectionError(name);
    // A dead Redis makes every retry fail; one line every 5 s is enough to tell the story.
    const now = Date.now();
    if (now - lastErrorLoggedAt > 5000) {
      lastErrorLoggedAt = now;
      logger.error({ err: error, client: name }, 'redis client error');
    }
  });
  client.on('reconnecting', () => logger.debug({ client: name }, 'redis reconnecting'));
  client.on('ready', () => logger.debug({ client: name }, 'redis ready'));
  guardRoundTrips(client, commandTimeoutMs, observer);
  commandTimeouts.set(client, commandTimeoutMs);
  return client;
}

/** A second connection with the same options, for pub/sub, with its own error listener. */
export function duplicateRedisClient(
  client: RedisClient,
  logger: Logger,
  name: string,
  observer?: RedisObserver,
): RedisClient {
  if (isRedisCluster(client)) return duplicateRedisCluster(client, logger, name, observer);
  const copy = client.duplicate();
  guardRoundTrips(copy, commandTimeouts.get(client) ?? DEFAULT_COMMAND_TIMEOUT_MS, undefined);
  copy.on('error', (error: Error) => {
    observer?.redisConnectionError(name);
    logger.error({ err: error, client: name }, 'redis client error');
  });
  return copy;
}

/** Failure reasons worth a label; any other error counts as `other` (the label set stays fixed). */
const COMMAND_FAILURE_REASONS = new Set([
  'ErrorReply',
  'ClientOfflineError',
  'ClientClosedError',
  'SocketClosedUnexpectedlyError',
  'TimeoutError',
  'SocketTimeoutError',
  'AbortError',
  'WatchError',
]);

const failureReason = (error: unknown) => {
  if (error instanceof CommandTimeoutError) return 'TimeoutError';
  const name = error instanceof Error ? error.constructor.name : '';
  return COMMAND_FAILURE_REASONS.has(name) ? name : 'other';
};

type Execute = (...args: unknown[]) => Promise<unknown>;

/** A command, MULTI or pipeline that got no answer within REDIS_COMMAND_TIMEOUT_MS. */
export class CommandTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`Redis did not answer within ${timeoutMs} ms`);
    this.name = 'CommandTimeoutError';
  }
}

/**
 * Every round trip of one client goes through `sendCommand` (single commands and scripts) or
 * `_executeMulti`/`_executePipeline` (a MULTI or a pipeline in one piece). Wrapping these three
 * methods of the one client instance puts each round trip under the client's watchdog (one
 * deadline per round trip, one timer per client: see command-watchdog.ts) and, with an observer,
 * times it with two clock reads — without a label per command (node-redis's own diagnostics
 * channel would build a context with the command's arguments for every command, in every client
 * of the process). A round trip Redis executes after its deadline is one the caller was told
 * failed (a send retried with its clientId is not stored twice).
 */
/**
 * node-redis's own keep-alive (pingInterval) is the one `sendCommand(['PING'])` without options.
 * It stays unguarded: on a silent connection it must wait, so that the socket stays idle until
 * its socketTimeout drops it. Failed by the watchdog, it would be sent again and again, and the
 * writes would keep the dead socket looking alive.
 */
const isKeepAlivePing = (args: unknown[]) =>
  args[1] === undefined && Array.isArray(args[0]) && args[0].length === 1 && args[0][0] === 'PING';

function guardRoundTrips(
  client: RedisClient,
  timeoutMs: number,
  observer: RedisObserver | undefined,
): void {
  const watchdog = new CommandWatchdog(timeoutMs, () => new CommandTimeoutError(timeoutMs));
  // createClient answers an object whose prototype is the client; commands run on the client.
  const target = ((client as unknown as { _self?: object })._self ?? client) as Record<
    string,
    unknown
  >;
  for (const method of ['sendCommand', '_executeMulti', '_executePipeline']) {
    const original = target[method];
    if (typeof original !== 'function') continue;
    target[method] = function (this: unknown, ...args: unknown[]) {
      if (method === 'sendCommand' && isKeepAlivePing(args)) {
        return (original as Execute).apply(this, args);
      }
      // disableOfflineQueue refuses single commands while Redis is away, but node-redis still
      // queues a MULTI or a pipeline then and runs it once Redis is back: a send answered
      // `unavailable` was stored a moment later. Refused here like a single command.
      if (method !== 'sendCommand' && !client.isReady) {
        return Promise.reject(new ClientOfflineError());
      }
      const reply = watchdog.guard((original as Execute).apply(this, args));
      if (observer) {
        const startedAt = performance.now();
        reply.then(
          () => observer.redisCommand((performance.now() - startedAt) / 1000),
          (error: unknown) => observer.redisCommandFailed(failureReason(error)),
        );
      }
      return reply;
    };
  }
  client.on('end', () => watchdog.stop());
}

/**
 * One connection attempt and a PING, without retries: null when Redis answers, otherwise a short
 * reason ("connection refused", "host not found", Redis's own error such as WRONGPASS).
 */
export async function redisUnreachableReason(
  url: string,
  timeoutMs = 3000,
): Promise<string | null> {
  const client = createClient({
    url,
    socket: { reconnectStrategy: false, connectTimeout: timeoutMs },
  });
  client.on('error', () => undefined); // the rejected connect() below carries the same error
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (error) {
    return connectionErrorReason(error);
  } finally {
    if (client.isOpen) client.destroy();
  }
}

const REASONS_BY_CODE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (DNS lookup failed)',
  ETIMEDOUT: 'no answer',
  EHOSTUNREACH: 'host unreachable',
  ECONNRESET: 'connection reset',
};

function connectionErrorReason(error: unknown): string {
  // Connecting to "localhost" tries ::1 and 127.0.0.1; both failures come as one AggregateError
  // with an empty message.
  const first = error instanceof AggregateError ? (error.errors[0] as unknown) : error;
  const code = (first as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && REASONS_BY_CODE[code]) return REASONS_BY_CODE[code];
  if (first instanceof Error && first.name === 'ConnectionTimeoutError') return 'no answer';
  const message = first instanceof Error ? first.message : String(first);
  return message.split('\n')[0]?.slice(0, 200) || 'unknown error';
}
