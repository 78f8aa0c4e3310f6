/**
 * Pub/sub keeps nothing: what other instances (or seed servers) published while this
 * instance's subscriber was cut off from Redis never reaches its sockets, and their clients,
 * still connected, would not know they missed anything. So when a subscriber is back after
 * losing its connection, this instance's clients are made to reconnect; a client catches up
 * (`GET /room/:id/messages?after=`) after every reconnection. Presence holds their users
 * meanwhile, so nobody is seen going offline.
 *
 * The recycling waits until the other instances know that this one listens again
 * (`announced`, see AdapterPeers in redis-adapter.ts): one that believed itself alone during the
 * gap would otherwise not publish what is sent between a client's catch-up and its hearing of
 * this instance, and the client would never get it.
 */
import type { Logger } from 'pino';
import type { RedisClient } from '../redis/client.js';
import { type RealtimeParts, recycleConnections } from './hand-over.js';

/** Both subscribers usually come back together: one recycling for both. */
const COALESCE_MS = 100;

export function recycleAfterSubscriptionGaps(
  subscribers: readonly RedisClient[],
  parts: RealtimeParts,
  logger: Logger,
  announced: () => Promise<void> = () => Promise.resolve(),
): { stop(): void } {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const run = () => {
    timer = null;
    if (stopped) return;
    if (running) {
      // A gap that ended during this recycling: the clients reconnected before it ended.
      again = true;
      return;
    }
    logger.info('a Redis subscription was interrupted: clients reconnect to catch up');
    running = announced()
      .then(() => recycleConnections(parts))
      .catch((error: unknown) => logger.warn({ err: error }, 'could not recycle connections'))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          run();
        }
      });
  };

  // Attached after the first connection: every 'ready' from now on ends a gap.
  for (const subscriber of subscribers) {
    subscriber.on('ready', () => {
      timer ??= setTimeout(run, COALESCE_MS);
    });
  }
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
