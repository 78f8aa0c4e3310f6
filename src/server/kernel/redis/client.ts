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
