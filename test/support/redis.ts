/**
 * A real redis-server per test file, from the launcher: on a free port, in a temporary directory,
 * keeping nothing on disk. Never the Redis on 6379, which belongs to someone else.
 */
import { type RedisClientType, createClient } from 'redis';
import { type SingleRedis, startRedis } from '../../scripts/launcher/index.js';

export interface TestRedis extends SingleRedis {
  /** A plain client for inspecting and preparing data. */
  client: RedisClientType;
  flush(): Promise<void>;
  /** Stops the server and starts it again on the same port (data is lost: nothing on disk). */
  restart(): Promise<void>;
}

export async function startTestRedis(): Promise<TestRedis> {
  const redis = await startRedis();
  const client = createClient({ url: redis.url, socket: { reconnectStrategy: () => 50 } });
  client.on('error', () => undefined); // restarts are part of some tests
  await client.connect();
  return {
    topology: redis.topology,
    url: redis.url,
    port: redis.port,
    urls: redis.urls,
    serverEnv: redis.serverEnv,
    get pids() {
      return redis.pids;
    },
    client,
    flush: async () => {
      await client.flushAll();
    },
    pause: () => redis.pause(),
    resume: () => redis.resume(),
    restart: async () => {
      await redis.pause();
      await redis.resume();
    },
    stop: async () => {
      await client.close().catch(() => undefined);
      await redis.stop();
    },
  };
}
