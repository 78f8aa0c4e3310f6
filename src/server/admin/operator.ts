/**
 * What the command line acts through: the server's configuration, a connection to its Redis
 * (or Redis Cluster), and the features built as an instance builds them (feature-set.ts), with
 * a Socket.IO server that has no sockets of its own but the instances' Redis adapter, so that
 * what it broadcasts reaches the clients of every instance.
 */
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import type { Config } from '../config.js';
import { type FeatureSet, createFeatureSet } from '../feature-set.js';
import { DomainEvents } from '../kernel/domain-events.js';
import { ErrorMapper } from '../kernel/error-mapper.js';
import { bcryptHasher } from '../kernel/passwords.js';
import { PendingEvents, clientEventHandler } from '../kernel/realtime/acks.js';
import { FanOut } from '../kernel/realtime/fan-out.js';
import { useRedisAdapter } from '../kernel/realtime/redis-adapter.js';
import type { ChatServer } from '../kernel/realtime/socket-types.js';
import {
  type RedisClient,
  createRedisClient,
  duplicateRedisClient,
  redisUnreachableReason,
} from '../kernel/redis/client.js';
import { createRedisCluster } from '../kernel/redis/cluster.js';
import { newServerId } from '../kernel/server-id.js';
import { SessionEnding } from '../kernel/sessions/session-ending.js';

export interface Operator {
  features: FeatureSet;
  redis: RedisClient;
  config: Config;
  /** Waits until what was broadcast has left, then lets Redis go. */
  close(): Promise<void>;
}

/** Redis could not be reached: said in one line, naming where (never the password). */
export class RedisUnreachableError extends Error {
  override name = 'RedisUnreachableError';
}

/** The command line counts nothing: it has no metrics to scrape. */
const uncounted = {
  messageSent: () => undefined,
  messagesDelivered: () => undefined,
  relaySent: () => undefined,
  relayReceived: () => undefined,
};

function address(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '6379'}`;
}

/**
 * The Redis the server uses: REDIS_CLUSTER_NODES, REDIS_URL (or the demo's variables), else the
 * one answering on 127.0.0.1:EMBEDDED_REDIS_PORT, as a server without configuration uses. The
 * command line never starts a redis-server of its own: one that is not running holds no chat.
 */
async function reachableRedis(config: Config): Promise<string[]> {
  const urls = config.redis.clusterNodes ?? [
    config.redis.url ?? `redis://127.0.0.1:${config.embeddedRedisPort}`,
  ];
  let reason = 'no node';
  for (const url of urls) {
    const problem = await redisUnreachableReason(url);
    if (problem === null) return urls;
    reason = problem;
  }
  const variable = config.redis.clusterNodes
    ? 'REDIS_CLUSTER_NODES'
    : config.redis.configured
      ? 'REDIS_URL'
      : 'REDIS_URL (unset: the local port EMBEDDED_REDIS_PORT)';
  throw new RedisUnreachableError(
    `cannot reach Redis at ${urls.map(address).join(', ')} (${reason}): check ${variable}`,
  );
}

export async function openOperator(config: Config, log: Logger): Promise<Operator> {
  const urls = await reachableRedis(config);
  const redis: RedisClient = config.redis.clusterNodes
    ? createRedisCluster(urls, log, 'commands')
    : createRedisClient(urls[0] ?? '', log, 'commands', undefined, config.redisCommandTimeoutMs);
  await redis.connect();
  const subscriber = duplicateRedisClient(redis, log, 'adapter-subscriber');
  await subscriber.connect();
  const io: ChatServer = new Server();
  await useRedisAdapter(io, redis, subscriber);
  const fanOut = new FanOut(io, () => redis.ping(), uncounted);
  const features = createFeatureSet({
    config,
    redis,
    serverId: newServerId(),
    fanOut,
    events: new DomainEvents(),
    handle: clientEventHandler(new PendingEvents(), new ErrorMapper(() => !redis.isReady), log),
    metrics: uncounted,
    passwords: bcryptHasher(1),
    sessionEnding: new SessionEnding(redis),
    log,
  });
  return {
    features,
    redis,
    config,
    close: async () => {
      fanOut.flushMessages();
      // Broadcasts are PUBLISHed on the command connection: a PING behind them returns after.
      await redis.ping().catch(() => undefined);
      // Not io.close(): with no HTTP server attached there is no engine to close.
      await io.of('/').adapter.close();
      await Promise.allSettled([redis.close(), subscriber.close()]);
    },
  };
}
