/**
 * A real redis-server per test file, on a free port, keeping nothing on disk. Never the Redis on
 * 6379, which belongs to someone else.
 */
import { createClient } from 'redis';
import {
  freePort,
  startRedisServer,
  type EmbeddedRedis,
} from '../../src/server/kernel/embedded-redis.js';

export interface TestRedis extends EmbeddedRedis {
  port: number;
  /** A plain client for inspecting and preparing data. */
  client: ReturnType<typeof createClient>;
  flush(): Promise<void>;
  /** Stops the server and starts it again on the same port (data is lost: nothing on disk). */
  restart(): Promise<void>;
  /** An outage: the server stops until resume() starts it again on the same port. */
  pause(): Promise<void>;
  resume(): Promise<void>;
}

export async function startTestRedis(): Promise<TestRedis> {
  const port = await freePort();
  let server = await startRedisServer({ port, dataDir: null });
  const client = createClient({ url: server.url, socket: { reconnectStrategy: () => 50 } });
  client.on('error', () => undefined); // restarts are part of some tests
  await client.connect();
  return {
    port,
    url: server.url,
    client,
    flush: async () => {
      await client.flushAll();
    },
    restart: async () => {
      await server.stop();
      server = await startRedisServer({ port, dataDir: null });
    },
    pause: async () => {
      await server.stop();
    },
    resume: async () => {
      server = await startRedisServer({ port, dataDir: null });
    },
    stop: async () => {
      await client.close().catch(() => undefined);
      await server.stop();
    },
  };
}
