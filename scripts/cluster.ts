/**
 * `npm run cluster -- 3`: N chat server instances on one Redis behind a load balancer, the way the
 * server is meant to be deployed, on one machine.
 *
 * - Build: what the instances serve, the server and the web client, when their sources changed
 *   since the last build (scripts/build.mjs, as `npm start` does); `--no-build` skips it.
 * - Redis: REDIS_URL when set, else the Redis answering on 127.0.0.1:EMBEDDED_REDIS_PORT (6379),
 *   else a redis-server started here with its data under REDIS_DATA_DIR (./data), like
 *   `npm start` does. `--redis-cluster`: a Redis Cluster instead, REDIS_CLUSTER_NODES when set,
 *   else 3 masters + 3 replicas started here on ports EMBEDDED_REDIS_PORT+1 .. +6 with their
 *   data under REDIS_DATA_DIR/cluster (kill one master with `kill -9` to watch a failover).
 * - Instances: `node dist/server/main.js` on ports PORT+1 .. PORT+N, listening on 127.0.0.1 and
 *   trusting X-Forwarded-* from the balancer's address only (TRUST_PROXY=127.0.0.1).
 * - Load balancer on PORT (8080): nginx when it is on PATH (`--node-lb` forces the Node proxy),
 *   else the Node proxy (see launcher/balancer.ts).
 *
 * Ctrl+C, or SIGTERM to this process, stops the balancer, then the instances (gracefully, so
 * presence is cleaned up), then the redis-server if this script started it.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { type Config, loadConfig } from '../src/server/config.js';
import {
  RedisNotInstalledError,
  isPortOpen,
  redisServerInstalled,
} from '../src/server/kernel/embedded-redis.js';
import {
  REPO_ROOT,
  type RedisDeployment,
  existingRedis,
  launch,
  startRedisCluster,
  startRedis,
  stopEverything,
  stopGracefullyOnSignal,
} from './launcher/index.js';

const DEFAULT_INSTANCES = 3;
/**
 * The balancer and the instances run on loopback (the instances listen on 127.0.0.1 only), so
 * the balancer's connections come from this address, and only they may say who the client is.
 */
const BALANCER_ADDRESS = '127.0.0.1';
const MAX_INSTANCES = 16;
const USAGE = `usage: npm run cluster -- [1..${MAX_INSTANCES}] [--redis-cluster] [--node-lb] [--no-build]`;

async function redisCluster(config: Config): Promise<RedisDeployment> {
  if (config.redis.clusterNodes) {
    const urls = config.redis.clusterNodes;
    return {
      topology: 'cluster',
      urls,
      serverEnv: { REDIS_CLUSTER_NODES: urls.join(',') },
      pids: [],
      stop: async () => undefined,
    };
  }
  const firstPort = config.embeddedRedisPort + 1;
  const cluster = await startRedisCluster({
    firstPort,
    dataDir: join(config.redisDataDir, 'cluster'),
  });
  for (const node of cluster.nodes) {
    console.log(`cluster: redis-server ${node.port} (cluster node) pid ${node.pid}`);
  }
  const masters = await cluster.masters();
  console.log(
    `cluster: Redis Cluster of ${cluster.nodes.length} nodes, masters on ports ` +
      `${masters.map((node) => node.port).join(', ')}; data in ${config.redisDataDir}/cluster`,
  );
  return cluster;
}

async function clusterRedis(config: Config): Promise<RedisDeployment> {
  if (config.redis.url) return existingRedis(config.redis.url);
  const port = config.embeddedRedisPort;
  if (await isPortOpen(port)) {
    console.log(`cluster: using the Redis answering on 127.0.0.1:${port} (REDIS_URL chooses)`);
    return existingRedis(`redis://127.0.0.1:${port}`);
  }
  // The same sentence as `npm start`'s, naming the port where a Redis was looked for.
  if (!redisServerInstalled()) throw new RedisNotInstalledError(port);
  const redis = await startRedis({ port, dataDir: config.redisDataDir });
  console.log(`cluster: started redis-server on 127.0.0.1:${port}, data in ${config.redisDataDir}`);
  return redis;
}

async function main() {
  const args = process.argv.slice(2);
  const unknown = args.filter(
    (arg) => !/^\d+$/.test(arg) && !['--node-lb', '--no-build', '--redis-cluster'].includes(arg),
  );
  const count = Number(args.find((arg) => /^\d+$/.test(arg)) ?? DEFAULT_INSTANCES);
  if (unknown.length > 0 || count < 1 || count > MAX_INSTANCES) {
    console.error(USAGE);
    process.exit(2);
  }
  let stopping = false;
  stopGracefullyOnSignal((signal) => {
    stopping = true;
    console.log(`cluster: ${signal}, stopping`);
  });

  const config = loadConfig();
  const ports = Array.from({ length: count }, (_, i) => config.port + 1 + i);
  for (const port of [config.port, ...ports]) {
    if (await isPortOpen(port)) {
      console.error(`cluster: port ${port} is taken; set PORT to move the range`);
      process.exit(1);
    }
  }

  if (!args.includes('--no-build')) {
    const build = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs')], {
      stdio: 'inherit',
    });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }

  const redis = args.includes('--redis-cluster')
    ? await redisCluster(config)
    : await clusterRedis(config);
  const deployment = await launch({
    redis,
    instances: count,
    ports,
    server: {
      entry: 'dist',
      // The balancer connects from loopback: exactly it may say who the client is.
      env: { TRUST_PROXY: BALANCER_ADDRESS },
      onLine: (line, port) => console.log(`[${port}] ${line}`),
    },
    balancer: { port: config.port, kind: args.includes('--node-lb') ? 'node' : undefined },
  });
  for (const server of deployment.servers) {
    void server.exited.then((code) => {
      if (!stopping) console.log(`cluster: instance ${server.port} exited (${code ?? 'signal'})`);
    });
  }
  const balancer = deployment.balancer;
  console.log(
    `cluster: ${count} instances on ports ${ports.join(', ')} behind ` +
      `${balancer?.kind === 'nginx' ? 'nginx' : 'the Node balancer'} at ${balancer?.url} ` +
      `(Redis ${redis.urls.join(', ')}). Ctrl+C stops everything.`,
  );
}

main().catch(async (error: unknown) => {
  console.error(`cluster: ${error instanceof Error ? error.message : String(error)}`);
  await stopEverything();
  process.exit(1);
});
