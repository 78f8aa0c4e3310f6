/**
 * The Redis the chat servers share: a single redis-server here, or a Redis Cluster
 * (redis-cluster.ts), which answers its node list in `urls` and REDIS_CLUSTER_NODES in
 * `serverEnv`.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  freePort,
  isPortOpen,
  redisServerInstalled,
} from '../../src/server/kernel/embedded-redis.js';
import {
  type LaunchedProcess,
  type TemporaryDirectory,
  launchProcess,
  temporaryDirectory,
  waitUntil,
} from './processes.js';

const REDIS_READY_TIMEOUT_MS = 10_000;

/** A Redis that chat servers can be pointed at. */
export interface RedisDeployment {
  readonly topology: 'single' | 'cluster';
  /** Every node, as redis:// URLs. */
  readonly urls: readonly string[];
  /** The variables that point a chat server at it (REDIS_URL, or REDIS_CLUSTER_NODES). */
  readonly serverEnv: Readonly<Record<string, string>>;
  /** PIDs of the redis-server processes started here (none for one started elsewhere). */
  readonly pids: readonly number[];
  /** Stops what was started here; a Redis started elsewhere is left alone. */
  stop(): Promise<void>;
}

/** One redis-server started by the launcher on 127.0.0.1. */
export interface SingleRedis extends RedisDeployment {
  readonly topology: 'single';
  readonly url: string;
  readonly port: number;
  /** An outage: the process stops, its port and directory stay this Redis's. */
  pause(): Promise<void>;
  /** Starts it again on the same port after pause() (empty, unless it has a dataDir). */
  resume(): Promise<void>;
}

export interface StartRedisOptions {
  /** Default: a free port. */
  port?: number;
  /**
   * Keep the data here, append-only, across runs (`npm run cluster`). Default: a temporary
   * directory with persistence off, removed when the Redis stops.
   */
  dataDir?: string;
}

/** A Redis started by someone else, at `url`. */
export function existingRedis(url: string): RedisDeployment {
  return {
    topology: 'single',
    urls: [url],
    serverEnv: { REDIS_URL: url },
    pids: [],
    stop: async () => undefined,
  };
}

/** Starts a fresh redis-server and waits until it accepts connections. */
export async function startRedis(options: StartRedisOptions = {}): Promise<SingleRedis> {
  if (!redisServerInstalled()) {
    throw new Error(
      'redis-server is not on PATH: install it (Debian/Ubuntu: apt-get install redis-server; ' +
        'macOS: brew install redis)',
    );
  }
  const port = options.port ?? (await freePort());
  const temporary: TemporaryDirectory | null = options.dataDir
    ? null
    : temporaryDirectory('chat-redis-');
  const dir = options.dataDir ? resolve(options.dataDir) : (temporary as TemporaryDirectory).path;
  mkdirSync(dir, { recursive: true });
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir];
  args.push('--appendonly', options.dataDir ? 'yes' : 'no');
  const url = `redis://127.0.0.1:${port}`;

  let server: LaunchedProcess | null = null;
  const start = async () => {
    const started = launchProcess({
      name: `redis-server ${port}`,
      stage: 'redis',
      command: 'redis-server',
      args,
    });
    server = started;
    try {
      await waitUntil(
        `redis-server on port ${port}`,
        () => isPortOpen(port),
        () => (started.running ? null : `exited at start-up:\n${started.output()}`),
        REDIS_READY_TIMEOUT_MS,
      );
    } catch (error) {
      await started.kill();
      throw error;
    }
  };
  const halt = async () => {
    await server?.stop();
    server = null;
  };

  try {
    await start();
  } catch (error) {
    temporary?.remove();
    throw error;
  }
  return {
    topology: 'single',
    url,
    port,
    urls: [url],
    serverEnv: { REDIS_URL: url },
    get pids() {
      return server ? [server.pid] : [];
    },
    pause: halt,
    resume: async () => {
      if (!server) await start();
    },
    stop: async () => {
      await halt();
      temporary?.remove();
    },
  };
}
