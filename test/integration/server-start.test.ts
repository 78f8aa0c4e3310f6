/**
 * Booting through src/server/main.ts, the code path of `npm start`: with a configured Redis, with
 * an embedded redis-server when none is configured or running, and the clear failures.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { temporaryDirectory } from '../../scripts/launcher/index.js';
import { freePort, isPortOpen } from '../../src/server/kernel/embedded-redis.js';
import { HttpClient, connectSocket } from '../support/clients.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { startServerProcess } from '../support/server.js';
import { waitFor } from '../support/wait.js';

/** Runs main.ts to completion (for start-up failures) and answers its exit code and output. */
function runMain(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env: { HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((done) => child.once('exit', (code) => done({ code, output })));
}

describe('npm start with a configured Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(() => redis?.stop());

  it('serves the chat, then stops cleanly on SIGTERM, taking its users offline', async () => {
    const server = await startServerProcess(redis.url);
    const http = new HttpClient(server.url);
    const user = await http.login('Pablo');
    const socket = await connectSocket(server.url, http.cookie);
    await waitFor(
      'Pablo online',
      async () => (await redis.client.sIsMember('online_users', user.id)) === 1,
    );
    expect(await redis.client.zCard('instances')).toBe(1);

    expect(await server.stop()).toBe(0);
    socket.close();
    expect(await redis.client.sIsMember('online_users', user.id)).toBe(0);
    expect(await redis.client.zCard(`user:${user.id}:connections`)).toBe(0);
    expect(await redis.client.zCard('instances')).toBe(0);
    expect(server.output()).toMatch(/chat server stopped/);
  });

  it('warns at start when the session secret is generated, and not when it is set', async () => {
    const generated = await startServerProcess(redis.url);
    expect(await generated.stop()).toBe(0);
    expect(generated.output()).toMatch(
      /"level":40.*SESSION_SECRET is not set: .*set SESSION_SECRET/,
    );
    const configured = await startServerProcess(redis.url, { SESSION_SECRET: 'x'.repeat(40) });
    expect(await configured.stop()).toBe(0);
    expect(configured.output()).not.toMatch(/SESSION_SECRET is not set/);
  });
});

describe('npm start with no Redis configured', () => {
  it('starts an embedded redis-server with its data under the data directory, and stops it on exit', async () => {
    const port = await freePort();
    const dataDir = temporaryDirectory('chat-data-');
    onTestFinished(() => dataDir.remove());
    const server = await startServerProcess(null, {
      EMBEDDED_REDIS_PORT: String(port),
      REDIS_DATA_DIR: dataDir.path,
    });
    try {
      expect(await isPortOpen(port)).toBe(true);
      const http = new HttpClient(server.url);
      expect((await http.post('/login', { username: 'Joe', password: 'password123' })).status).toBe(
        200,
      );
      expect(server.output()).toMatch(/started an embedded redis-server/);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    await waitFor('the embedded redis-server to stop', async () => !(await isPortOpen(port)));
    const files = readdirSync(dataDir.path, { recursive: true }).map(String);
    expect(files.some((name) => name.includes('appendonly'))).toBe(true);
  });

  it('exits with one clear line when redis-server is not installed', async () => {
    const emptyPath = temporaryDirectory('no-redis-');
    onTestFinished(() => emptyPath.remove());
    const { code, output } = await runMain({
      PATH: emptyPath.path,
      EMBEDDED_REDIS_PORT: String(await freePort()),
    });
    expect(code).toBe(1);
    expect(output.trim()).toMatch(
      /redis-server is not installed: install one .*apt-get install redis-server.* or set REDIS_URL/,
    );
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(emptyPath.path, 'dump.rdb'))).toBe(false);
  });
});

describe('configuration errors', () => {
  it.each([
    [{ PORT: 'abc' }, /PORT/],
    [{ REDIS_URL: 'http://x' }, /REDIS_URL must start with redis:\/\/ or rediss:\/\//],
    [{ SESSION_SECRET: 'short' }, /SESSION_SECRET must be at least 32 characters/],
    [{ SEED_BRIDGE: 'maybe' }, /SEED_BRIDGE/],
  ])('refuses %j at start-up, naming the variable', async (env, message) => {
    const { code, output } = await runMain({ PATH: process.env.PATH ?? '', ...env });
    expect(code).toBe(2);
    expect(output).toMatch(message);
  });
});
