/**
 * Start-up when the Redis is not there: a configured Redis that does not answer (yet), and no
 * redis-server to embed. Real server processes through src/server/main.ts, the code `npm start`
 * runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type EmbeddedRedis,
  freePort,
  isPortOpen,
  startRedisServer,
} from '../../src/server/kernel/embedded-redis.js';
import { waitFor } from '../support/wait.js';

interface MainProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const running: MainProcess[] = [];
const cleanups: Array<() => Promise<void> | void> = [];

function runMain(env: Record<string, string>): MainProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env: { HOME: process.env.HOME ?? '/tmp', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const main = { child, output: () => output, exited };
  running.push(main);
  return main;
}

afterEach(async () => {
  for (const main of running.splice(0)) {
    if (main.child.exitCode === null) main.child.kill('SIGKILL');
    await main.exited;
  }
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('a configured Redis that does not answer', () => {
  it('says once which Redis, without its password, keeps trying, and starts when it answers', async () => {
    const redisPort = await freePort();
    const port = await freePort();
    const main = runMain({
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      // The default user of a Redis without a password accepts any password.
      REDIS_URL: `redis://default:s3cret-pass@127.0.0.1:${redisPort}`,
    });
    await waitFor('the unreachable-Redis line', () =>
      main.output().includes(`cannot reach Redis at 127.0.0.1:${redisPort} (connection refused)`),
    );
    const lines = main.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(main.output()).not.toContain('s3cret-pass');
    expect(main.output()).not.toContain('stack');
    // Not listening until Redis answers: a health check sees a server that has not started.
    expect(await isPortOpen(port)).toBe(false);
    expect(main.child.exitCode).toBeNull();

    // The next attempts, seen by a listener that hangs up on them: they back off, and say
    // nothing more within 10 s.
    const attemptsAt: number[] = [];
    const listener = createServer((socket) => {
      attemptsAt.push(Date.now());
      socket.destroy();
    });
    await new Promise<void>((done) => listener.listen(redisPort, '127.0.0.1', done));
    await waitFor('two more attempts', () => attemptsAt.length >= 2, 10_000);
    await new Promise((done) => listener.close(done));
    const [second = 0, third = 0] = attemptsAt;
    expect(third - second).toBeGreaterThanOrEqual(1_800); // 1 s, then 2 s
    expect(main.output().trim().split('\n')).toHaveLength(1);

    const redis: EmbeddedRedis = await startRedisServer({ port: redisPort, dataDir: null });
    cleanups.push(() => redis.stop());
    await waitFor(
      'the server to start once Redis answers',
      async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.ok,
      20_000,
    );
    expect(main.output()).toContain(`Redis at 127.0.0.1:${redisPort} answers: starting`);
    expect(main.output()).toContain(
      `Chat ready on http://127.0.0.1:${port} (Redis: 127.0.0.1:${redisPort})`,
    );
    expect(main.output()).not.toContain('s3cret-pass');

    main.child.kill('SIGTERM');
    expect(await main.exited).toBe(0);
  });

  it('stops at once on SIGTERM while waiting', async () => {
    const main = runMain({
      PATH: process.env.PATH ?? '',
      PORT: String(await freePort()),
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    });
    await waitFor('the unreachable-Redis line', () => main.output().includes('cannot reach Redis'));
    main.child.kill('SIGTERM');
    const code = await Promise.race([
      main.exited,
      new Promise((done) => setTimeout(() => done('still running after 3 s'), 3_000)),
    ]);
    expect(code).toBe(0);
  });
});

describe('no Redis configured and no redis-server installed', () => {
  it('names the port it looked at (EMBEDDED_REDIS_PORT) in its one line', async () => {
    const emptyPath = mkdtempSync(join(tmpdir(), 'chat-no-redis-'));
    cleanups.push(() => rmSync(emptyPath, { recursive: true, force: true }));
    const embeddedPort = await freePort();
    const main = runMain({
      PATH: emptyPath,
      EMBEDDED_REDIS_PORT: String(embeddedPort),
      LOG_LEVEL: 'silent',
    });
    expect(await main.exited).toBe(1);
    const lines = main.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      `none answers on 127.0.0.1:${embeddedPort} and redis-server is not installed`,
    );
    expect(lines[0]).not.toContain('6379');
  });
});
