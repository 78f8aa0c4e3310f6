/**
 * `npm start`: reads the configuration, finds a Redis (the configured one, one answering on
 * 127.0.0.1:6379, or an embedded redis-server), runs the chat server and stops it cleanly on
 * SIGTERM/SIGINT.
 */
import type { Logger } from 'pino';
import { startChatServer } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import {
  type EmbeddedRedis,
  RedisNotInstalledError,
  isPortOpen,
  startRedisServer,
} from './kernel/embedded-redis.js';
import { createLogger } from './kernel/logger.js';

async function resolveRedis(
  config: Config,
  logger: Logger,
): Promise<{ url: string; embedded: EmbeddedRedis | null }> {
  if (config.redis.url) return { url: config.redis.url, embedded: null };
  const port = config.embeddedRedisPort;
  if (await isPortOpen(port)) {
    logger.info(`using the Redis answering on 127.0.0.1:${port} (set REDIS_URL to choose another)`);
    return { url: `redis://127.0.0.1:${port}`, embedded: null };
  }
  const embedded = await startRedisServer({ port, dataDir: config.redisDataDir });
  logger.info(
    { dataDir: config.redisDataDir },
    `started an embedded redis-server on 127.0.0.1:${port}`,
  );
  return { url: embedded.url, embedded };
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

  let redis: Awaited<ReturnType<typeof resolveRedis>>;
  try {
    redis = await resolveRedis(config, logger);
  } catch (error) {
    if (error instanceof RedisNotInstalledError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  // A stray rejection (say, a publish while Redis restarts) is logged; it must not end the
  // process for everyone connected.
  process.on('unhandledRejection', (reason) =>
    logger.error({ err: reason }, 'unhandled rejection'),
  );

  const server = await startChatServer(config, logger, redis.url).catch(async (error: unknown) => {
    await redis.embedded?.stop();
    throw error;
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await server.close();
    await redis.embedded?.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error('chat server failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
