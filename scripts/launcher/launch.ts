/**
 * The whole deployment in one call: Redis, N chat server instances, optionally a load balancer in
 * front; and one stop() that takes it down in the opposite order.
 */
import { type Balancer, type BalancerOptions, startBalancer } from './balancer.js';
import { type RedisDeployment, type StartRedisOptions, startRedis } from './redis.js';
import { type RedisClusterOptions, startRedisCluster } from './redis-cluster.js';
import { type ChatServerProcess, type ServerOptions, startServers } from './servers.js';

export interface LaunchOptions {
  /** Instances to start (default 1). */
  instances?: number;
  /**
   * A Redis to use (it is not stopped by stop()), or how to start a fresh one (default: a
   * temporary one on a free port).
   */
  redis?: RedisDeployment | StartRedisOptions;
  /** Start a fresh Redis Cluster instead (3 masters + 3 replicas by default); wins over `redis`. */
  redisCluster?: RedisClusterOptions;
  /** How every instance runs. */
  server?: Omit<ServerOptions, 'redis' | 'port'>;
  /** The instances' ports (default: free ports). */
  ports?: readonly number[];
  /** A load balancer in front of the instances. */
  balancer?: Omit<BalancerOptions, 'backends'>;
}

export interface Deployment {
  readonly redis: RedisDeployment;
  readonly servers: ChatServerProcess[];
  readonly balancer: Balancer | null;
  /** Balancer, then the instances (gracefully, in parallel), then the Redis started here. */
  stop(): Promise<void>;
}

const isDeployment = (redis: LaunchOptions['redis']): redis is RedisDeployment =>
  redis !== undefined && 'topology' in redis;

export async function launch(options: LaunchOptions = {}): Promise<Deployment> {
  let redis: RedisDeployment;
  let ownRedis: RedisDeployment | null = null;
  if (options.redisCluster) redis = ownRedis = await startRedisCluster(options.redisCluster);
  else if (isDeployment(options.redis)) redis = options.redis;
  else redis = ownRedis = await startRedis(options.redis);
  let servers: ChatServerProcess[] = [];
  let balancer: Balancer | null = null;
  const stop = async () => {
    await balancer?.close();
    await Promise.all(servers.map((server) => server.stop()));
    await ownRedis?.stop();
  };
  try {
    servers = await startServers(options.instances ?? 1, {
      ...options.server,
      redis,
      ports: options.ports,
    });
    if (options.balancer) {
      balancer = await startBalancer({
        ...options.balancer,
        backends: servers.map((server) => ({ host: '127.0.0.1', port: server.port })),
      });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { redis, servers, balancer, stop };
}
