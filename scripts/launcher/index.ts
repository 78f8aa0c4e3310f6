/**
 * The one way this project starts Redis (one node or a cluster), chat server instances and a load balancer for the
 * tests, the benchmark and `npm run cluster`, and makes sure none of it outlives the caller.
 */
export {
  type Backend,
  type Balancer,
  type BalancerKind,
  type BalancerOptions,
  nginxInstalled,
  sessionCookieOf,
  startBalancer,
} from './balancer.js';
export { type Deployment, type LaunchOptions, launch } from './launch.js';
export {
  type TemporaryDirectory,
  stopEverything,
  stopGracefullyOnSignal,
  temporaryDirectory,
} from './processes.js';
export {
  type RedisDeployment,
  type SingleRedis,
  type StartRedisOptions,
  existingRedis,
  startRedis,
} from './redis.js';
export {
  type ClusterNode,
  type RedisClusterDeployment,
  type RedisClusterOptions,
  CLUSTER_NODE_TIMEOUT_MS,
  startRedisCluster,
} from './redis-cluster.js';
export {
  type ChatServer,
  type ChatServerProcess,
  type InProcessServer,
  type ServerEntry,
  type ServerOptions,
  REPO_ROOT,
  startInProcessServer,
  startServer,
  startServers,
} from './servers.js';
