/**
 * Creating node-redis clients. Every client, duplicates for subscriptions included, gets an
 * 'error' listener: without one a connection error would crash the process instead of being
 * retried by the client's reconnect strategy.
 */
import { createClient } from 'redis';
import type { Logger } from 'pino';

export type RedisClient = ReturnType<typeof createClient>;

/** Reconnect quickly at first, then every 2 s at most, for ever: Redis restarts are survivable. */
const reconnectStrategy = (retries: number) => Math.min(50 * 2 ** retries, 2000);

export function createRedisClient(url: string, logger: Logger, name: string): RedisClient {
  const client = createClient({
    url,
    socket: { reconnectStrategy, connectTimeout: 5000 },
    // Fail at once while Redis is away instead of queueing: a send then gets an error ack
    // straight away rather than hanging until Redis is back.
    disableOfflineQueue: true,
  });
  let lastErrorLoggedAt = 0;
  client.on('error', (error: Error) => {
    // A dead Redis makes every retry fail; one line every 5 s is enough to tell the story.
    const now = Date.now();
    if (now - lastErrorLoggedAt > 5000) {
      lastErrorLoggedAt = now;
      logger.error({ err: error, client: name }, 'redis client error');
    }
  });
  client.on('reconnecting', () => logger.debug({ client: name }, 'redis reconnecting'));
  client.on('ready', () => logger.debug({ client: name }, 'redis ready'));
  return client;
}

/** A second connection with the same options, for pub/sub, with its own error listener. */
export function duplicateRedisClient(
  client: RedisClient,
  logger: Logger,
  name: string,
): RedisClient {
  const copy = client.duplicate();
  copy.on('error', (error: Error) =>
    logger.error({ err: error, client: name }, 'redis client error'),
  );
  return copy;
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
