/**
 * `npm run cluster` as a process manager runs it: a signal to the top process (npm) stops every
 * instance, the balancer and the redis-server it started, gracefully, and leaves nothing behind.
 * It runs on ports of its own and its own Redis, never 6379 or 8080.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, onTestFinished } from 'vitest';
import { temporaryDirectory } from '../../scripts/launcher/index.js';
import { freePort, isPortOpen } from '../../src/server/kernel/embedded-redis.js';
import { waitFor } from '../support/wait.js';

const INSTANCES = 2;
/** A graceful stop of idle instances takes well under a second; this is the limit. */
const STOP_WITHIN_MS = 10_000;
const SERVER_BUILD = resolve('dist/server/main.js');

/** A port whose next INSTANCES ports are free too: the balancer's, then the instances'. */
async function freePortRange(): Promise<number> {
  for (;;) {
    const base = await freePort();
    const next = Array.from({ length: INSTANCES }, (_, i) => base + 1 + i);
    const taken = await Promise.all(next.map((port) => isPortOpen(port)));
    if (next.every((port) => port < 65_536) && !taken.includes(true)) return base;
  }
}

/** Every process below `root`, from the process table. */
function descendantsOf(root: number): number[] {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  const children = new Map<number, number[]>();
  for (const line of table.trim().split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (pid === undefined || ppid === undefined) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const found: number[] = [];
  const visit = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(root);
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function startCluster(ports: { balancer: number; redis: number; dataDir: string }) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(ports.balancer),
    EMBEDDED_REDIS_PORT: String(ports.redis),
    REDIS_DATA_DIR: ports.dataDir,
    LOG_LEVEL: 'info',
  };
  delete env.REDIS_URL;
  delete env.REDIS_ENDPOINT_URL;
  const child: ChildProcess = spawn(
    'npm',
    ['run', '--silent', 'cluster', '--', String(INSTANCES), '--no-build'],
    { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { pid: child.pid as number, exited, output: () => output };
}

/** Up to this many tries when another process takes one of the chosen ports before an instance listens. */
const START_ATTEMPTS = 3;

/**
 * Starts the cluster on free ports and waits until it is up. The ports are free when chosen but
 * other test files run alongside, so one of them can be taken before an instance listens on it:
 * the script then exits on EADDRINUSE, and the cluster is tried again on other ports.
 */
async function startedCluster(dataDir: string, seen: Set<number>) {
  for (let attempt = 1; ; attempt += 1) {
    const balancerPort = await freePortRange();
    const redisPort = await freePort();
    const cluster = startCluster({ balancer: balancerPort, redis: redisPort, dataDir });
    seen.add(cluster.pid);
    const up = waitFor(
      'the cluster to be up',
      () => cluster.output().includes(`cluster: ${INSTANCES} instances`),
      60_000,
    ).then(() => true);
    const exited = cluster.exited.then(() => false);
    if (
      await Promise.race([up, exited]).catch((error: Error) => {
        throw new Error(`${error.message}\n${cluster.output()}`);
      })
    ) {
      return { cluster, balancerPort, redisPort };
    }
    if (attempt === START_ATTEMPTS || !cluster.output().includes('EADDRINUSE')) {
      throw new Error(`the cluster exited before it was up:\n${cluster.output()}`);
    }
  }
}

describe('npm run cluster', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'stops every instance, the balancer and its Redis on %s to the top process',
    async (signal) => {
      expect(existsSync(SERVER_BUILD), `${SERVER_BUILD} (npm run build first)`).toBe(true);
      const dataDir = temporaryDirectory('chat-cluster-data-');
      const seen = new Set<number>();
      onTestFinished(() => {
        // Only if the test failed: nothing it started may outlive it.
        for (const pid of seen) if (alive(pid)) process.kill(pid, 'SIGKILL');
        dataDir.remove();
      });

      const { cluster, balancerPort, redisPort } = await startedCluster(dataDir.path, seen);
      const balancer = `http://127.0.0.1:${balancerPort}`;
      // What it serves through the balancer: the web client and the API.
      const page = await fetch(`${balancer}/`);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect((await fetch(`${balancer}/readyz`)).status).toBe(200);

      const processes = descendantsOf(cluster.pid);
      for (const pid of processes) seen.add(pid);
      const commands = execFileSync('ps', ['-o', 'args=', '-p', processes.join(',')], {
        encoding: 'utf8',
      });
      // The script, its Redis and every instance are among them.
      expect(commands).toMatch(/scripts\/cluster\.ts/);
      expect(commands).toMatch(new RegExp(`redis-server 127\\.0\\.0\\.1:${redisPort}`));
      expect(commands.match(/dist\/server\/main\.js/g)).toHaveLength(INSTANCES);

      process.kill(cluster.pid, signal);
      const still = sleep(STOP_WITHIN_MS, 'still running', { ref: false });
      expect(await Promise.race([cluster.exited, still])).toBe(0);
      await waitFor(
        'every process of the cluster to be gone',
        () => [...seen].every((pid) => !alive(pid)),
        STOP_WITHIN_MS,
      );
      // Gracefully: each instance said goodbye (its users went offline in Redis).
      expect(cluster.output().match(/chat server stopped/g)).toHaveLength(INSTANCES);
      const ports = Array.from({ length: INSTANCES + 1 }, (_, i) => balancerPort + i);
      for (const port of [...ports, redisPort]) {
        expect(await isPortOpen(port), `port ${port}`).toBe(false);
      }
    },
    90_000,
  );
});
