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
  const client: RedisClient = redis.cluster
    ? createCluster({ rootNodes: [{ url: redis.url }] })
    : createClient({ url: redis.url });
  // A dropped connection fails the scenario's next command, which is reported there.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}
