/**
 * A Redis Cluster client (REDIS_CLUSTER_NODES) that survives a failover.
 *
 * node-redis refreshes its slot map only when a node answers MOVED or ASK. A master killed
 * outright answers nothing: its slots' commands fail with "connection refused" until its replica
 * is promoted, and go on failing afterwards, because nobody tells the client. The topology guard
 * here closes that gap:
 * - a node's connection error asks for a slot rediscovery (at most every 250 ms);
 * - CLUSTER SLOTS is asked of a live node every second, and a map that differs from the last one
 *   asks for a rediscovery too (a promotion seen before any command failed).
 * A rediscovery also moves the subscriptions that lived on a node that left the map to the
 * node that serves their slots now. What was published while they were away is lost, so the
 * cluster then emits 'ready', the event after which subscription-gaps.ts makes this instance's
 * clients reconnect and catch up (the event a standalone client emits after a reconnection).
 */
import { type RedisClusterType, createCluster } from 'redis';
import type { Logger } from 'pino';
import { CommandWatchdog } from './command-watchdog.js';

export type RedisCluster = RedisClusterType;

/** Reconnect a node fast: during a failover its slots wait on it until the map is refreshed. */
const nodeReconnectStrategy = (retries: number) => Math.min(50 * 2 ** retries, 500);
const CONNECT_TIMEOUT_MS = 3000;
/** A socket silent this long is taken for dead (a host gone without a FIN). */
const SOCKET_TIMEOUT_MS = 3000;
/** Keeps idle connections answering, so a dead node is noticed without traffic. */
const PING_INTERVAL_MS = 1000;
/**
 * Every command (or MULTI) is answered within this: an ok or an error, never a silent wait, even
 * while it waits for a slot refresh or a new node's connection (which the library's per-command
 * timeout does not cover). A send, a few commands, is then answered well within the web
 * client's 10 s.
 */
export const CLUSTER_COMMAND_TIMEOUT_MS = 2000;
const REDISCOVER_AT_MOST_EVERY_MS = 250;
const SLOT_MAP_POLL_MS = 1000;

/** The event subscription-gaps.ts listens to: subscriptions were away and are back. */
export const SUBSCRIPTIONS_RESTORED_EVENT = 'ready';

/** The seed nodes of every cluster made here, to make more like it (for subscriptions). */
const seedNodes = new WeakMap<object, readonly string[]>();

/** Told of each command and connection error (the instance's metrics). */
interface ClusterObserver {
  redisCommand(seconds: number): void;
  redisCommandFailed(reason: string): void;
  redisConnectionError(client: string): void;
}

/** A cluster command that got no answer within CLUSTER_COMMAND_TIMEOUT_MS. */
export class ClusterCommandTimeoutError extends Error {
  override name = 'ClusterCommandTimeoutError';
  constructor(ms: number) {
    super(`Redis Cluster command not answered within ${ms} ms`);
  }
}

/** True for a client made by createRedisCluster. */
export function isRedisCluster(client: object): client is RedisCluster {
  return seedNodes.has(client);
}

/**
 * Another cluster client with the same seed nodes, error handling and topology guard (the
 * library's duplicate() would have neither): subscriptions need connections of their own.
 */
export function duplicateRedisCluster(
  cluster: RedisCluster,
  logger: Logger,
  name: string,
  observer?: ClusterObserver,
): RedisCluster {
  const nodes = seedNodes.get(cluster);
  if (!nodes) throw new Error('not a cluster made by createRedisCluster');
  return createRedisCluster(nodes, logger, name, observer);
}

export function createRedisCluster(
  nodeUrls: readonly string[],
  logger: Logger,
  name: string,
  observer?: ClusterObserver,
): RedisCluster {
  const [first] = nodeUrls;
  if (!first) throw new Error('a Redis Cluster needs at least one seed node');
  // Credentials and TLS are those of the seed URLs (config.ts makes them all alike); the
  // defaults carry them to the nodes discovered from CLUSTER SLOTS.
  const seed = new URL(first);
  const cluster: RedisCluster = createCluster({
    rootNodes: nodeUrls.map((url) => ({ url })),
    defaults: {
      username: seed.username ? decodeURIComponent(seed.username) : undefined,
      password: seed.password ? decodeURIComponent(seed.password) : undefined,
      socket: {
        tls: seed.protocol === 'rediss:' ? true : undefined,
        connectTimeout: CONNECT_TIMEOUT_MS,
        socketTimeout: SOCKET_TIMEOUT_MS,
        reconnectStrategy: nodeReconnectStrategy,
      },
      pingInterval: PING_INTERVAL_MS,
      // As for a single Redis: fail at once while a node is away instead of queueing.
      disableOfflineQueue: true,
      maintNotifications: 'disabled',
    },
    // No AbortSignal.timeout per command on the nodes: the deadline below (one watchdog timer
    // per cluster client) covers each command from routing to reply.
    commandOptions: { timeout: 0 },
  });
  seedNodes.set(cluster, [...nodeUrls]);
  answerWithinDeadline(cluster, observer);

  let lastErrorLoggedAt = 0;
  const logError = (error: unknown, node?: string) => {
    const now = Date.now();
    if (now - lastErrorLoggedAt > 5000) {
      lastErrorLoggedAt = now;
      logger.error({ err: error, client: name, node }, 'redis cluster error');
    }
  };
  cluster.on('error', (error: Error) => {
    observer?.redisConnectionError(name);
    logError(error);
  });
  guardTopology(cluster, logger, name, (error, node) => {
    observer?.redisConnectionError(name);
    logError(error, node);
  });
  return cluster;
}

/**
 * node-redis's slot rediscovery: reads the map from `startWith` (or any known node) and moves
 * the connections and subscriptions of nodes that left it. It is not public API (the client's
 * `_slots` field); node-redis 6.3.1's own MOVED handling calls it the same way. Pinned with the
 * version in package.json.
 */
function rediscoverSlots(cluster: RedisCluster): Promise<void> {
  return cluster._slots.rediscover();
}

type Execute = (...args: unknown[]) => Promise<unknown>;

/**
 * Puts a deadline on, and times, every command and MULTI of a cluster client. They all go
 * through the client's `_execute` (node-redis 6.3.1, not public API: pinned with the version),
 * from routing to reply, redirections included.
 */
function answerWithinDeadline(cluster: RedisCluster, observer?: ClusterObserver): void {
  // createCluster answers a proxy-like object whose `_self` is the client the commands run on.
  const target = ((cluster as unknown as { _self?: object })._self ?? cluster) as Record<
    string,
    unknown
  >;
  const original = target._execute;
  if (typeof original !== 'function') throw new Error('node-redis cluster without _execute');
  const watchdog = new CommandWatchdog(
    CLUSTER_COMMAND_TIMEOUT_MS,
    () => new ClusterCommandTimeoutError(CLUSTER_COMMAND_TIMEOUT_MS),
  );
  cluster.on('disconnect', () => watchdog.stop());
  target._execute = function (this: unknown, ...args: unknown[]) {
    const startedAt = performance.now();
    const reply = watchdog.guard((original as Execute).apply(this, args));
    reply.then(
      () => observer?.redisCommand((performance.now() - startedAt) / 1000),
      (error: unknown) =>
        observer?.redisCommandFailed(
          error instanceof ClusterCommandTimeoutError ? 'TimeoutError' : 'other',
        ),
    );
    return reply;
  };
}

interface NodeInfo {
  host?: string;
  port?: number;
}

function guardTopology(
  cluster: RedisCluster,
  logger: Logger,
  name: string,
  onNodeError: (error: unknown, node: string) => void,
): void {
  let lastRediscoveryAt = 0;
  let scheduled: NodeJS.Timeout | null = null;
  let knownMap: string | null = null;
  let subscriptionsDisturbed = false;

  const rediscover = (why: string) => {
    if (scheduled) return;
    const waitMs = Math.max(0, lastRediscoveryAt + REDISCOVER_AT_MOST_EVERY_MS - Date.now());
    scheduled = setTimeout(() => {
      scheduled = null;
      if (!cluster.isOpen) return;
      lastRediscoveryAt = Date.now();
      logger.debug({ client: name, why }, 'redis cluster: refreshing the slot map');
      rediscoverSlots(cluster).catch((error: unknown) =>
        logger.debug({ err: error, client: name }, 'redis cluster: slot refresh failed'),
      );
    }, waitMs);
    scheduled.unref();
  };

  cluster.on('node-error', (error: Error, node: NodeInfo) => {
    const address = `${node?.host}:${node?.port}`;
    onNodeError(error, address);
    subscriptionsDisturbed = true;
    rediscover(`node ${address}: ${error.message}`);
  });

  // What CLUSTER SLOTS says, from the first node that answers, as a comparable string.
  const readMap = async (): Promise<string | null> => {
    for (const node of [...cluster.masters, ...cluster.replicas]) {
      const client = node.client;
      if (!client?.isReady) continue;
      try {
        const reply = (await client.sendCommand(['CLUSTER', 'SLOTS'], {
          timeout: SLOT_MAP_POLL_MS,
        })) as unknown[][];
        return reply
          .map((range) => {
            const [from, to, master] = range as [number, number, unknown[]];
            return `${from}-${to}@${String(master[0])}:${String(master[1])}`;
          })
          .sort()
          .join(',');
      } catch {
        // The next node.
      }
    }
    return null;
  };

  const poll = setInterval(() => {
    if (!cluster.isOpen) return;
    void readMap().then((map) => {
      if (map === null) return;
      if (knownMap !== null && map !== knownMap) {
        logger.warn({ client: name }, 'redis cluster: the slot map changed');
        subscriptionsDisturbed = true;
        rediscover('slot map changed');
        // Subscriptions on a node that left the map are re-made on its successor by the
        // rediscovery; what was published meanwhile was lost, so clients catch up.
        setTimeout(() => announceRestored(), REDISCOVER_AT_MOST_EVERY_MS * 2).unref();
      }
      knownMap = map;
    });
  }, SLOT_MAP_POLL_MS);
  poll.unref();

  const announceRestored = () => {
    if (!subscriptionsDisturbed) return;
    subscriptionsDisturbed = false;
    cluster.emit(SUBSCRIPTIONS_RESTORED_EVENT);
  };
  // A node that reconnected after an error may have carried subscriptions: catch up.
  cluster.on('node-ready', () => {
    if (subscriptionsDisturbed) announceRestored();
  });
  cluster.on('disconnect', () => {
    clearInterval(poll);
    if (scheduled) clearTimeout(scheduled);
  });
}

/**
 * The cluster serves every slot: each master of the current map answers PING. For /readyz:
 * one random node answering would say nothing about the shard that is down.
 */
export async function pingEveryMaster(cluster: RedisCluster): Promise<void> {
  const masters = cluster.masters;
  if (masters.length === 0) throw new Error('no master known');
  await Promise.all(
    masters.map(async (master) => {
      const client = await cluster.nodeClient(master);
      await client.ping();
    }),
  );
}
