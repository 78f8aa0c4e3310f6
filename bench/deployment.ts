/**
 * What the bench runs against. By default it starts its own redis-server on a free port and N
 * server instances as child processes, so it knows their PIDs and nobody else's traffic mixes
 * with the load; with --url it measures an existing deployment instead.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createClient } from 'redis';
import {
  REPO_ROOT,
  type ChatServerProcess,
  launch,
  startServer,
} from '../scripts/launcher/index.js';
import { INSPECT_FLAG, type ServerMemory, inspectorUrlIn, memoryAfterGc } from './inspector.js';
import type { BenchOptions } from './options.js';

export type { ServerMemory };

export { REPO_ROOT };
export const PROFILE_DIR = join(REPO_ROOT, 'bench', 'profiles');

/**
 * The per-user send limit is a safety rule for real users (10/s by default); the bench's senders
 * go far faster on purpose.
 */
const BENCH_MESSAGES_PER_SECOND = '1000000';
/** The bench registers hundreds of users from one address; the per-address limit is off (0). */
const BENCH_REGISTRATIONS_PER_IP_PER_HOUR = '0';
/** The load generator runs on loopback and plays clients at other addresses (login-flood). */
const BENCH_TRUST_PROXY = '127.0.0.1';
/** The connections scenario spreads 2,000 sockets over 50 users (40 each); the cap is off (0). */
const BENCH_MAX_CONNECTIONS_PER_USER = '0';
/** The rooms scenario has one user create up to 1,000 rooms in a row; the hourly cap is off (0). */
const BENCH_ROOMS_PER_USER_PER_HOUR = '0';

export interface Deployment {
  urls: string[];
  /** PIDs of the server processes (empty when unknown: no CPU or memory figures). */
  serverPids: number[];
  redisUrl: string | null;
  /** True when redisUrl is one node of a Redis Cluster. */
  redisCluster: boolean;
  /** PIDs of the redis-server processes, when known (for their CPU). */
  redisPids: number[];
  /** How the servers were started, for the report. */
  description: string;
  /** CPU profiles the servers write when they stop (with --cpu-prof). */
  profileFiles: string[];
  /**
   * Kills instance `index` (SIGKILL, as a crash) and starts it again on the same port; its new
   * PID replaces the old one in serverPids. Null when the bench did not start the servers.
   */
  restart: ((index: number) => Promise<void>) | null;
  /**
   * The servers' memory summed after a full GC in each, when they run with an inspector (the
   * bench starts them so for the connections and rooms scenarios); null otherwise.
   */
  memoryAfterGc: (() => Promise<ServerMemory>) | null;
  stop(): Promise<void>;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds dist/server when it is missing or older than the sources. */
function ensureServerBuild(root: string): void {
  const entry = join(root, 'dist', 'server', 'main.js');
  let built = 0;
  try {
    built = statSync(entry).mtimeMs;
  } catch {
    built = 0;
  }
  const sources = Math.max(
    newestMtime(join(root, 'src', 'server')),
    newestMtime(join(root, 'src', 'protocol')),
  );
  if (built >= sources) return;
  console.error(`bench: building the server in ${root} (npm run build:server)...`);
  const result = spawnSync('npm', ['run', 'build:server', '--silent'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('npm run build:server failed');
}

async function redisPidOf(url: string): Promise<number | null> {
  const client = createClient({ url });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const info = await client.info('server');
    const pid = Number(/process_id:(\d+)/.exec(info)?.[1]);
    return Number.isFinite(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** A server's CPU profile: the run's time and, filled in by Node, the server's pid. */
const profileName = (stamp: string) => `${stamp}-server-\${pid}.cpuprofile`;

export async function startDeployment(options: BenchOptions): Promise<Deployment> {
  if (options.urls.length > 0) {
    return {
      urls: options.urls,
      serverPids: options.pids,
      redisUrl: options.redisUrl,
      redisCluster: false,
      redisPids: options.redisUrl
        ? [await redisPidOf(options.redisUrl)].flatMap((pid) => (pid ? [pid] : []))
        : [],
      description: `existing deployment: ${options.urls.join(', ')}`,
      profileFiles: [],
      restart: null,
      memoryAfterGc: null,
      stop: async () => undefined,
    };
  }
  const root = resolve(options.serverDir ?? REPO_ROOT);
  if (options.serverMode === 'dist') ensureServerBuild(root);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  if (options.cpuProf) mkdirSync(PROFILE_DIR, { recursive: true });
  // Memory per socket is read after a full GC: an RSS difference over a few sockets is mostly
  // whatever garbage the young generation held at that moment.
  const inspect = options.scenarios.some((name) => name === 'connections' || name === 'rooms');
  /** Each instance's inspector, by port. */
  const inspectors = new Map<number, string>();
  const server = {
    entry: options.serverMode,
    cwd: root,
    nodeArgs: [
      // Node puts each instance's pid in place of ${pid}.
      ...(options.cpuProf
        ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${profileName(stamp)}`]
        : []),
      ...(inspect ? [INSPECT_FLAG] : []),
    ],
    onLine: (line: string, port: number) => {
      const url = inspectorUrlIn(line);
      if (url) inspectors.set(port, url);
    },
    env: {
      LOG_LEVEL: 'warn',
      COOKIE_SECURE: 'false',
      MESSAGES_PER_SECOND: BENCH_MESSAGES_PER_SECOND,
      REGISTRATIONS_PER_IP_PER_HOUR: BENCH_REGISTRATIONS_PER_IP_PER_HOUR,
      // The search scenario times hundreds of searches by one user.
      SEARCHES_PER_MINUTE: '1000000',
      TRUST_PROXY: BENCH_TRUST_PROXY,
      MAX_CONNECTIONS_PER_USER: BENCH_MAX_CONNECTIONS_PER_USER,
      ROOMS_PER_USER_PER_HOUR: BENCH_ROOMS_PER_USER_PER_HOUR,
      DEMO_DATA: 'false',
      ...options.serverEnv,
    },
  };
  const deployment = await launch({
    instances: options.instances,
    redisCluster: options.redisCluster ? {} : undefined,
    server,
  });
  const serverPids = deployment.servers.map((server) => server.pid);
  const restart = async (index: number) => {
    const old = deployment.servers[index];
    if (!old) throw new Error(`no instance ${index} to restart`);
    await old.kill();
    const fresh: ChatServerProcess = await startServer({
      ...server,
      redis: deployment.redis,
      port: old.port,
    });
    // The deployment's stop() stops what this array holds.
    deployment.servers[index] = fresh;
    serverPids[index] = fresh.pid;
  };
  const [redisUrl = null] = deployment.redis.urls;
  const mode =
    options.serverMode === 'dist' ? 'node dist/server/main.js' : 'tsx src/server/main.ts';
  return {
    urls: deployment.servers.map((server) => server.url),
    serverPids,
    redisUrl,
    redisCluster: options.redisCluster,
    redisPids: [...deployment.redis.pids],
    description:
      `${options.instances} × ${mode}${options.cpuProf ? ' --cpu-prof' : ''}` +
      `${root === REPO_ROOT ? '' : ` in ${root}`}, ` +
      (options.redisCluster ? 'own Redis Cluster (3 masters + 3 replicas)' : 'own redis-server'),
    profileFiles: options.cpuProf
      ? deployment.servers.map((server) =>
          join(PROFILE_DIR, profileName(stamp).replace('${pid}', String(server.pid))),
        )
      : [],
    restart,
    memoryAfterGc: inspect
      ? async () => {
          const each = await Promise.all(
            deployment.servers.map((instance) => {
              const url = inspectors.get(instance.port);
              if (!url) throw new Error(`no inspector address from the server on ${instance.port}`);
              return memoryAfterGc(url);
            }),
          );
          const total: ServerMemory = {
            rss: 0,
            heapUsed: 0,
            heapTotal: 0,
            external: 0,
            arrayBuffers: 0,
          };
          for (const memory of each) {
            for (const key of Object.keys(total) as (keyof ServerMemory)[])
              total[key] += memory[key];
          }
          return total;
        }
      : null,
    // SIGTERM lets each server leave cleanly (and write its CPU profile).
    stop: deployment.stop,
  };
}
