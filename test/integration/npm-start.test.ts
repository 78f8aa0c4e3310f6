/**
 * `npm start` as a person or a process manager runs it: the real npm, scripts/start.mjs and the
 * built server, with an embedded redis-server, on free ports. `npm test` builds before the
 * tests, so nothing is rebuilt here while other tests serve dist/.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort, isPortOpen, startRedisServer } from '../../src/server/kernel/embedded-redis.js';
import { HttpClient, connectSocket } from '../support/clients.js';
import { waitFor } from '../support/wait.js';

/** "pid (command) state ppid …" from /proc; null once the process is gone. */
function processStat(pid: number): { state: string; ppid: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    const [state = '', ppid = '0'] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state, ppid: Number(ppid) };
  } catch {
    return null;
  }
}

/** A zombie has exited; only its parent has not collected it yet. */
const isRunning = (pid: number) => {
  const state = processStat(pid)?.state;
  return state !== undefined && state !== 'Z';
};

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '';
  }
}

/** Every process below `pid`, children of children included. */
function descendants(pid: number): number[] {
  const childrenOf = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = processStat(Number(entry));
    if (stat) childrenOf.set(stat.ppid, [...(childrenOf.get(stat.ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of childrenOf.get(queue.shift() as number) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

interface NpmStart {
  child: ChildProcess;
  port: number;
  redisPort: number;
  dataDir: string;
  output: () => string;
  exited: Promise<number | null>;
}

const started: NpmStart[] = [];

/** `npm start` with its own ports and data directory, and no Redis configured: it embeds one. */
async function npmStart(options: { ownProcessGroup?: boolean } = {}): Promise<NpmStart> {
  const port = await freePort();
  const redisPort = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-start-'));
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    EMBEDDED_REDIS_PORT: String(redisPort),
    REDIS_DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    COOKIE_SECURE: 'false',
  };
  for (const name of ['REDIS_URL', 'REDIS_ENDPOINT_URL', 'REDIS_PASSWORD']) delete env[name];
  const child = spawn('npm', ['start'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, as a terminal's foreground job has (for Ctrl+C).
    detached: options.ownProcessGroup ?? false,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const run = { child, port, redisPort, dataDir, output: () => output, exited };
  started.push(run);
  await waitFor(
    'the ready line',
    () => {
      if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
      return /^Chat ready on /m.test(output);
    },
    30_000,
  );
  return run;
}

/** Waits for every process of the tree to be gone, naming those still running. */
async function expectAllGone(pids: number[]) {
  await waitFor(
    'every process of npm start to exit',
    () => pids.every((pid) => !isRunning(pid)),
    5_000,
  ).catch((error: Error) => {
    const left = pids.filter(isRunning).map((pid) => `${pid} ${commandLine(pid)}`);
    throw new Error(`${error.message}; still running: ${left.join('; ')}`);
  });
}

beforeAll(() => {
  const check = spawnSync(process.execPath, ['scripts/build.mjs', '--check'], { encoding: 'utf8' });
  if (check.status !== 0) {
    throw new Error(`${check.stdout.trim()}: run \`npm run build\` before these tests`);
  }
});

afterEach(async () => {
  for (const run of started.splice(0)) {
    if (run.child.exitCode === null && run.child.pid) {
      // A failed test leaves nothing running either.
      for (const pid of [...descendants(run.child.pid), run.child.pid]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    rmSync(run.dataDir, { recursive: true, force: true });
  }
});

describe('npm start', () => {
  it('starts from the existing build, says where to open the chat, and stops everything on SIGTERM to its top process', async () => {
    const run = await npmStart();
    expect(run.output()).not.toMatch(/building the/);
    const readyLines = run
      .output()
      .split('\n')
      .filter((line) => line.startsWith('Chat ready'));
    expect(readyLines).toEqual([
      `Chat ready on http://127.0.0.1:${run.port} (Redis: embedded redis-server on 127.0.0.1:${run.redisPort}, data in ${run.dataDir})`,
    ]);
    expect((await fetch(`http://127.0.0.1:${run.port}/healthz`)).status).toBe(200);

    const tree = descendants(run.child.pid as number);
    const commands = tree.map(commandLine);
    expect(commands.some((command) => command.includes('scripts/start.mjs'))).toBe(true);
    expect(commands.some((command) => command.startsWith('redis-server'))).toBe(true);

    process.kill(run.child.pid as number, 'SIGTERM');
    expect(await run.exited).toBe(0);
    await expectAllGone(tree);
    expect(await isPortOpen(run.port)).toBe(false);
    expect(await isPortOpen(run.redisPort)).toBe(false);
    expect(run.output()).toMatch(/"signal":"SIGTERM","msg":"shutting down"/);
    expect(run.output()).toMatch(/chat server stopped/);
  });

  it('on Ctrl+C (SIGINT to the whole process group) hands its users over before stopping Redis', async () => {
    const run = await npmStart({ ownProcessGroup: true });
    const url = `http://127.0.0.1:${run.port}`;
    const http = new HttpClient(url);
    const user = await http.login('Pablo');
    const socket = await connectSocket(url, http.cookie);
    const tree = descendants(run.child.pid as number);

    process.kill(-(run.child.pid as number), 'SIGINT');
    expect(await run.exited).toBe(0);
    socket.close();
    await expectAllGone(tree);
    expect(run.output()).toMatch(/chat server stopped/);
    expect(run.output()).not.toMatch(/presence cleanup failed/);

    // What the embedded Redis kept on disk: Pablo went offline before it stopped.
    const redis = await startRedisServer({ port: run.redisPort, dataDir: run.dataDir });
    const client = createClient({ url: redis.url });
    try {
      await client.connect();
      expect(await client.sIsMember('online_users', user.id)).toBe(0);
      expect(await client.zCard('instances')).toBe(0);
    } finally {
      await client.close();
      await redis.stop();
    }
  });
});
