/**
 * What the bench runs against. By default it starts its own redis-server on a free port and N
 * server instances as child processes, so it knows their PIDs and nobody else's traffic mixes
 * with the load; with --url it measures an existing deployment instead.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { freePort, startRedisServer } from '../src/server/kernel/embedded-redis.js';
import type { BenchOptions } from './options.js';

export const REPO_ROOT = resolve(import.meta.dirname, '..');
export const PROFILE_DIR = join(REPO_ROOT, 'bench', 'profiles');

/**
 * The per-user send limit is a safety rule for real users (10/s by default); the bench's senders
 * go far faster on purpose.
 */
const BENCH_MESSAGES_PER_SECOND = '1000000';

export interface Deployment {
  urls: string[];
  /** PIDs of the server processes (empty when unknown: no CPU or memory figures). */
  serverPids: number[];
  redisUrl: string | null;
  /** PID of redis-server, when known (for its CPU). */
  redisPid: number | null;
  /** How the servers were started, for the report. */
  description: string;
  /** CPU profiles the servers write when they stop (with --cpu-prof). */
  profileFiles: string[];
  stop(): Promise<void>;
}

interface ServerChild {
  child: ChildProcess;
  url: string;
  output: () => string;
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

async function waitReady(server: ServerChild, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.child.exitCode !== null) {
      throw new Error(`a server exited at start-up:\n${server.output()}`);
    }
    const response = await fetch(`${server.url}/readyz`).catch(() => null);
    if (response?.ok) return;
    if (Date.now() > deadline)
      throw new Error(`server ${server.url} not ready:\n${server.output()}`);
    await sleep(50);
  }
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

function startServer(
  options: BenchOptions,
  redisUrl: string,
  port: number,
  profileFile: string | null,
): ServerChild {
  const nodeArgs: string[] = [];
  if (profileFile) {
    mkdirSync(PROFILE_DIR, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${profileFile}`);
  }
  const entry =
    options.serverMode === 'dist'
      ? ['dist/server/main.js']
      : ['--import', 'tsx', 'src/server/main.ts'];
  const child = spawn(process.execPath, [...nodeArgs, ...entry], {
    cwd: options.serverDir ?? REPO_ROOT,
    env: {
      ...process.env,
      REDIS_URL: redisUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      COOKIE_SECURE: 'false',
      MESSAGES_PER_SECOND: BENCH_MESSAGES_PER_SECOND,
      DEMO_DATA: 'false',
      ...options.serverEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, url: `http://127.0.0.1:${port}`, output: () => output };
}

function stopChild(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}

export async function startDeployment(options: BenchOptions): Promise<Deployment> {
  if (options.urls.length > 0) {
    return {
      urls: options.urls,
      serverPids: options.pids,
      redisUrl: options.redisUrl,
      redisPid: options.redisUrl ? await redisPidOf(options.redisUrl) : null,
      description: `existing deployment: ${options.urls.join(', ')}`,
      profileFiles: [],
      stop: async () => undefined,
    };
  }
  const root = resolve(options.serverDir ?? REPO_ROOT);
  if (options.serverMode === 'dist') ensureServerBuild(root);
  const redis = await startRedisServer({ port: await freePort(), dataDir: null });
  const servers: ServerChild[] = [];
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const profileFiles = options.cpuProf
    ? Array.from({ length: options.instances }, (_, i) => `${stamp}-server-${i}.cpuprofile`)
    : [];
  try {
    for (let index = 0; index < options.instances; index++) {
      servers.push(startServer(options, redis.url, await freePort(), profileFiles[index] ?? null));
    }
    await Promise.all(servers.map((server) => waitReady(server)));
  } catch (error) {
    await Promise.all(servers.map((server) => stopChild(server.child)));
    await redis.stop();
    throw error;
  }
  const mode =
    options.serverMode === 'dist' ? 'node dist/server/main.js' : 'tsx src/server/main.ts';
  return {
    urls: servers.map((server) => server.url),
    serverPids: servers.map((server) => server.child.pid ?? 0),
    redisUrl: redis.url,
    redisPid: await redisPidOf(redis.url),
    description:
      `${options.instances} × ${mode}${options.cpuProf ? ' --cpu-prof' : ''}` +
      `${root === REPO_ROOT ? '' : ` in ${root}`}, own redis-server`,
    profileFiles: profileFiles.map((name) => join(PROFILE_DIR, name)),
    stop: async () => {
      // SIGTERM lets each server leave cleanly (and write its CPU profile).
      await Promise.all(servers.map((server) => stopChild(server.child)));
      await redis.stop();
    },
  };
}
