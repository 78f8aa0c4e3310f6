/**
 * The server process (`npm start` runs it through scripts/start.mjs, the container image runs it
 * directly): reads the configuration, finds a Redis (the configured one, waiting for it when it
 * does not answer yet; one answering on 127.0.0.1:EMBEDDED_REDIS_PORT; or an embedded
 * redis-server), runs the chat server, says in one line where to open it, and stops cleanly on
 * SIGTERM/SIGINT — during start-up too.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { type RunningChatServer, startChatServer } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import {
  type EmbeddedRedis,
  RedisNotInstalledError,
  isPortOpen,
  startRedisServer,
} from './kernel/embedded-redis.js';
import { createLogger } from './kernel/logger.js';
import { redisUnreachableReason } from './kernel/redis/client.js';

/** While the configured Redis does not answer: first retry after 1 s, doubling up to 30 s. */
const REDIS_RETRY_FIRST_MS = 1_000;
const REDIS_RETRY_MAX_MS = 30_000;
/** At most one "still unreachable" line this often, however fast the retries. */
const REDIS_RETRY_LOG_EVERY_MS = 10_000;

interface RedisInUse {
  url: string;
  embedded: EmbeddedRedis | null;
  /** For people: which Redis, never with its password. */
  description: string;
}

/** host:port of a redis:// URL, without the credentials it may carry. */
function redisAddress(url: string): string {
  try {
    const parsed = new URL(url);
    const address = `${parsed.hostname}:${parsed.port || '6379'}`;
    return parsed.protocol === 'rediss:' ? `${address} (TLS)` : address;
  } catch {
    return 'the configured address';
  }
}

/**
 * Tries the configured Redis until it answers, with backoff. Says once, in one line, which Redis
 * cannot be reached and why, then one short line per attempt at most every 10 s. Answers false
 * when a signal ended the wait.
 */
async function waitForRedis(
  urls: readonly string[],
  address: string,
  logger: Logger,
  stopping: AbortSignal,
): Promise<boolean> {
  let delayMs = REDIS_RETRY_FIRST_MS;
  let lastLineAt = 0;
  for (let attempt = 1; ; attempt++) {
    // A cluster needs one seed node to answer; the client learns the others from it.
    let reason: string | null = 'no node';
    for (const url of urls) {
      reason = await redisUnreachableReason(url);
      if (reason === null) break;
    }
    if (reason === null) {
      if (attempt > 1) logger.info(`Redis at ${address} answers: starting`);
      return true;
    }
    if (stopping.aborted) return false;
    if (attempt === 1) {
      logger.error(
        `cannot reach Redis at ${address} (${reason}): check ` +
          `${urls.length > 1 ? 'REDIS_CLUSTER_NODES' : 'REDIS_URL'}; ` +
          `retrying with backoff up to every ${REDIS_RETRY_MAX_MS / 1000} s, ` +
          'the server listens once Redis answers',
      );
      lastLineAt = Date.now();
    } else if (Date.now() - lastLineAt >= REDIS_RETRY_LOG_EVERY_MS) {
      logger.warn(`Redis at ${address} still unreachable (${reason}), attempt ${attempt}`);
      lastLineAt = Date.now();
    }
    try {
      await sleep(delayMs, undefined, { signal: stopping });
    } catch {
      return false; // aborted by a signal
    }
    delayMs = Math.min(delayMs * 2, REDIS_RETRY_MAX_MS);
  }
}

async function resolveRedis(
  config: Config,
  logger: Logger,
  stopping: AbortSignal,
): Promise<RedisInUse | null> {
  const clusterNodes = config.redis.clusterNodes;
  if (clusterNodes && config.redis.url) {
    const address = `${clusterNodes.map(redisAddress).join(', ')} (cluster)`;
    const reached = await waitForRedis(clusterNodes, address, logger, stopping);
    return reached ? { url: config.redis.url, embedded: null, description: address } : null;
  }
  if (config.redis.url) {
    const address = redisAddress(config.redis.url);
    const reached = await waitForRedis([config.redis.url], address, logger, stopping);
    return reached ? { url: config.redis.url, embedded: null, description: address } : null;
  }
  const port = config.embeddedRedisPort;
  if (await isPortOpen(port)) {
    logger.info(`using the Redis answering on 127.0.0.1:${port} (set REDIS_URL to choose another)`);
    return {
      url: `redis://127.0.0.1:${port}`,
      embedded: null,
      description: `the one answering on 127.0.0.1:${port}`,
    };
  }
  const embedded = await startRedisServer({
    port,
    dataDir: config.redisDataDir,
    ownProcessGroup: true,
  });
  logger.info(
    { dataDir: config.redisDataDir },
    `started an embedded redis-server on 127.0.0.1:${port}`,
  );
  return {
    url: embedded.url,
    embedded,
    description: `embedded redis-server on 127.0.0.1:${port}, data in ${config.redisDataDir}`,
  };
}

/** The address a person opens: a wildcard listen address means this machine. */
function browserUrl(host: string, port: number): string {
  const name = ['0.0.0.0', '::', ''].includes(host) ? 'localhost' : host;
  return `http://${name.includes(':') ? `[${name}]` : name}:${port}`;
}

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);

  // Signals are handled from the first moment: one that arrives while Redis is awaited ends the
  // wait, and one during start-up still stops what was already started (an embedded
  // redis-server, say) once start-up returns.
  const stopping = new AbortController();
  let redis: RedisInUse | null = null;
  let starting: Promise<RunningChatServer | null> = Promise.resolve(null);
  const stop = async (signal: string) => {
    if (stopping.signal.aborted) return;
    stopping.abort();
    logger.info({ signal }, 'shutting down');
    let exitCode = 0;
    try {
      const server = await starting.catch(() => null);
      await server?.close();
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      exitCode = 1;
    }
    await redis?.embedded?.stop();
    process.exit(exitCode);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  // A stray rejection (say, a publish while Redis restarts) is logged; it must not end the
  // process for everyone connected.
  process.on('unhandledRejection', (reason) =>
    logger.error({ err: reason }, 'unhandled rejection'),
  );

  starting = (async () => {
    try {
      redis = await resolveRedis(config, logger, stopping.signal);
    } catch (error) {
      if (error instanceof RedisNotInstalledError) {
        console.error(error.message);
        process.exit(1);
      }
      throw error;
    }
    if (!redis || stopping.signal.aborted) return null;
    const inUse = redis;
    const server = await startChatServer(config, logger, inUse.url).catch(
      async (error: unknown) => {
        await inUse.embedded?.stop();
        throw error;
      },
    );
    // The one line for people, after the JSON log lines: where to open the chat.
    if (!stopping.signal.aborted) {
      console.log(
        `Chat ready on ${browserUrl(config.host, server.port)} (Redis: ${inUse.description})`,
      );
    }
    return server;
  })();
  await starting;
}

main().catch((error: unknown) => {
  console.error('chat server failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
