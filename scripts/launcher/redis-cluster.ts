/**
 * A Redis Cluster on 127.0.0.1: 3 masters and 3 replicas (by default), `redis-server` processes
 * with `--cluster-enabled yes` joined by `redis-cli --cluster create`. A failed master is noticed
 * after `--cluster-node-timeout` (2 s here) and its replica promoted; `--cluster-require-full-
 * coverage no` keeps the other shards serving meanwhile.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createClient } from 'redis';
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
import type { RedisDeployment } from './redis.js';

const NODE_READY_TIMEOUT_MS = 10_000;
const CLUSTER_READY_TIMEOUT_MS = 30_000;
/** How long a silent master is given before its replica takes over. */
export const CLUSTER_NODE_TIMEOUT_MS = 2000;

export interface RedisClusterOptions {
  /** Masters (default 3); each gets `replicasPerMaster` replicas. */
  masters?: number;
  /** Default 1. */
  replicasPerMaster?: number;
  /** The first node's port; the others follow (default: free ports). */
  firstPort?: number;
  /** Keep the data here, append-only, across runs (`npm run cluster`); default a temporary dir. */
  dataDir?: string;
}

export interface ClusterNode {
  readonly port: number;
  readonly url: string;
  /** False after kill() until restart(). */
  readonly running: boolean;
  readonly pid: number | null;
  /** kill -9: a crash, as in a failover test. */
  kill(): Promise<void>;
  /** Starts it again on the same port and config (it rejoins the cluster, as a replica). */
  restart(): Promise<void>;
}

export interface RedisClusterDeployment extends RedisDeployment {
  readonly nodes: readonly ClusterNode[];
  /** Which nodes are masters now, as the running nodes see it. */
  masters(): Promise<ClusterNode[]>;
  /** The master serving a key's (or a sharded channel's) hash slot now. */
  masterOf(key: string): Promise<ClusterNode>;
  /** Until every running node says cluster_state:ok and agrees on one master per shard. */
  waitUntilHealthy(timeoutMs?: number): Promise<void>;
}

async function nodeCommand(port: number, args: string[]): Promise<string> {
  const client = createClient({
    url: `redis://127.0.0.1:${port}`,
    socket: { reconnectStrategy: false, connectTimeout: 2000 },
  });
  client.on('error', () => undefined); // the rejected promise below says it
  try {
    await client.connect();
    return String(await client.sendCommand(args));
  } finally {
    if (client.isOpen) client.destroy();
  }
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) =>
      code === 0 ? done(output) : fail(new Error(`${command} ${args.join(' ')}:\n${output}`)),
    );
  });
}

export async function startRedisCluster(
  options: RedisClusterOptions = {},
): Promise<RedisClusterDeployment> {
  if (!redisServerInstalled()) {
    throw new Error(
      'redis-server is not on PATH: install it (Debian/Ubuntu: apt-get install redis-server; ' +
        'macOS: brew install redis)',
    );
  }
  const masterCount = options.masters ?? 3;
  const replicasPerMaster = options.replicasPerMaster ?? 1;
  const count = masterCount * (1 + replicasPerMaster);
  const ports: number[] = [];
  for (let i = 0; i < count; i++) {
    if (options.firstPort) ports.push(options.firstPort + i);
    else {
      let port = await freePort();
      while (ports.includes(port)) port = await freePort();
      ports.push(port);
    }
  }
  const temporary: TemporaryDirectory | null = options.dataDir
    ? null
    : temporaryDirectory('chat-redis-cluster-');
  const dir = options.dataDir ? resolve(options.dataDir) : (temporary as TemporaryDirectory).path;
  mkdirSync(dir, { recursive: true });

  const processes = new Map<number, LaunchedProcess>();
  const startNode = async (port: number) => {
    const started = launchProcess({
      name: `redis-server ${port} (cluster)`,
      stage: 'redis',
      command: 'redis-server',
      // Persistence off for a temporary cluster; replicas sync by streaming, at once.
      args: [
        '--port', String(port),
        '--bind', '127.0.0.1',
        '--cluster-enabled', 'yes',
        '--cluster-config-file', `nodes-${port}.conf`,
        '--cluster-node-timeout', String(CLUSTER_NODE_TIMEOUT_MS),
        '--cluster-require-full-coverage', 'no',
        '--repl-diskless-sync', 'yes',
        '--repl-diskless-sync-delay', '0',
        '--save', '',
        '--appendonly', options.dataDir ? 'yes' : 'no',
        '--appendfilename', `appendonly-${port}.aof`,
        '--appenddirname', `appendonly-${port}`,
        '--dbfilename', `dump-${port}.rdb`,
        '--dir', dir,
      ], // prettier-ignore
    });
    processes.set(port, started);
    try {
      await waitUntil(
        `redis-server on port ${port}`,
        () => isPortOpen(port),
        () => (started.running ? null : `exited at start-up:\n${started.output()}`),
        NODE_READY_TIMEOUT_MS,
      );
    } catch (error) {
      await started.kill();
      throw error;
    }
  };

  const stopAll = async () => {
    await Promise.all([...processes.values()].map((node) => node.stop()));
    processes.clear();
  };

  const nodes: ClusterNode[] = ports.map((port) => ({
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return processes.get(port)?.running ?? false;
    },
    get pid() {
      return processes.get(port)?.pid ?? null;
    },
    kill: async () => {
      await processes.get(port)?.kill();
      processes.delete(port);
    },
    restart: async () => {
      if (!processes.get(port)?.running) await startNode(port);
    },
  }));

  const clusterInfo = async (port: number) => nodeCommand(port, ['CLUSTER', 'INFO']);
  const mastersNow = async (): Promise<ClusterNode[]> => {
    for (const node of nodes.filter((candidate) => candidate.running)) {
      const text = await nodeCommand(node.port, ['CLUSTER', 'NODES']).catch(() => null);
      if (text === null) continue;
      // <id> <ip:port@cport> <flags> <master> <ping> <pong> <epoch> <link> <slots...>
      const masterPorts = text
        .split('\n')
        .map((line) => line.split(' '))
        .filter((fields) => {
          const flags = (fields[2] ?? '').split(',');
          return flags.includes('master') && !flags.some((flag) => flag.startsWith('fail'));
        })
        .filter((fields) => fields.length > 8) // serves slots
        .map((fields) => Number(/:(\d+)@/.exec(fields[1] ?? '')?.[1]));
      return nodes.filter((candidate) => masterPorts.includes(candidate.port));
    }
    return [];
  };
  const masterOf = async (key: string): Promise<ClusterNode> => {
    for (const node of nodes.filter((candidate) => candidate.running)) {
      const slot = Number(
        await nodeCommand(node.port, ['CLUSTER', 'KEYSLOT', key]).catch(() => -1),
      );
      if (slot < 0) continue;
      for (const master of await mastersNow()) {
        const text = await nodeCommand(master.port, ['CLUSTER', 'NODES']).catch(() => '');
        const mine = text.split('\n').find((line) => line.split(' ')[2]?.includes('myself'));
        const ranges = (mine ?? '').split(' ').slice(8);
        const serves = ranges.some((range) => {
          const [from = NaN, to = from] = range.split('-').map(Number);
          return slot >= from && slot <= to;
        });
        if (serves) return master;
      }
    }
    throw new Error(`no master serves the slot of ${key}`);
  };
  const waitUntilHealthy = async (timeoutMs = CLUSTER_READY_TIMEOUT_MS) => {
    await waitUntil(
      'every Redis Cluster node to say cluster_state:ok',
      async () => {
        const running = nodes.filter((node) => node.running);
        const infos = await Promise.all(
          running.map((node) => clusterInfo(node.port).catch(() => '')),
        );
        if (!infos.every((info) => info.includes('cluster_state:ok'))) return false;
        return (await mastersNow()).length === masterCount;
      },
      () => null,
      timeoutMs,
    );
  };

  try {
    await Promise.all(ports.map((port) => startNode(port)));
    // A cluster kept in dataDir from an earlier run knows itself already.
    const known = await clusterInfo(ports[0] as number);
    if (!known.includes('cluster_slots_assigned:16384')) {
      await run('redis-cli', [
        '--cluster', 'create',
        ...ports.map((port) => `127.0.0.1:${port}`),
        '--cluster-replicas', String(replicasPerMaster),
        '--cluster-yes',
      ]); // prettier-ignore
    }
    await waitUntilHealthy();
  } catch (error) {
    await stopAll();
    temporary?.remove();
    throw error;
  }

  const urls = nodes.map((node) => node.url);
  return {
    topology: 'cluster',
    urls,
    serverEnv: { REDIS_CLUSTER_NODES: ports.map((port) => `127.0.0.1:${port}`).join(',') },
    get pids() {
      return [...processes.values()].map((node) => node.pid);
    },
    nodes,
    masters: mastersNow,
    masterOf,
    waitUntilHealthy,
    stop: async () => {
      await stopAll();
      temporary?.remove();
    },
  };
}
