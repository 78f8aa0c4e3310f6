/**
 * A Redis client of the bench's own on the deployment's Redis (one server or a cluster), for the
 * scenarios that fill rooms straight in Redis instead of through minutes of requests.
 */
import { createClient, createCluster } from 'redis';
import type { RedisClient } from '../src/server/kernel/redis/client.js';

export async function connectBenchRedis(redis: {
  url: string;
  cluster: boolean;
}): Promise<RedisClient> {
  // No AbortSignal.timeout per command (node-redis's default): filling 100k rooms left 100k+
  // timers that fired 5 s later, each making a DOMException, in the middle of the measurement
  // that followed — the bench's own event loop then lagged up to 100 ms.
  const commandOptions = { timeout: 0 };
  const client: RedisClient = redis.cluster
    ? createCluster({ rootNodes: [{ url: redis.url }], commandOptions })
    : createClient({ url: redis.url, commandOptions });
  // A dropped connection fails the scenario's next command, which is reported there.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}
