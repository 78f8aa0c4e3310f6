/**
 * The zero-setup default: with no Redis configured and none answering on 127.0.0.1:6379, start a
 * redis-server from PATH as a child process, with its data (append-only file) under ./data, and
 * stop it when the server stops.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export class RedisNotInstalledError extends Error {
  override name = 'RedisNotInstalledError';
  /** `port`: where a running Redis was looked for (EMBEDDED_REDIS_PORT). */
  constructor(port: number) {
    super(
      `No Redis is configured, none answers on 127.0.0.1:${port} and redis-server is not installed: ` +
        'install one (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) ' +
        'or set REDIS_URL=redis://host:port',
    );
  }
}

export interface EmbeddedRedis {
  url: string;
  stop(): Promise<void>;
}

/** True when something accepts TCP connections on the port. */
export function isPortOpen(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ port, host });
    const finish = (open: boolean) => {
      socket.destroy();
      done(open);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

export function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

export interface StartRedisOptions {
  port: number;
  /** Directory for the append-only file; null keeps nothing on disk (tests). */
  dataDir: string | null;
  /**
   * Outside the caller's process group, so a terminal's Ctrl+C reaches only the server, which
   * hands its users over and then stops Redis, instead of Redis stopping first.
   */
  ownProcessGroup?: boolean;
}

/** Starts redis-server on 127.0.0.1 and waits until it accepts connections. */
export async function startRedisServer({
  port,
  dataDir,
  ownProcessGroup = false,
}: StartRedisOptions): Promise<EmbeddedRedis> {
  if (!redisServerInstalled()) throw new RedisNotInstalledError(port);
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', ''];
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    args.push('--dir', resolve(dataDir), '--appendonly', 'yes');
  } else {
    args.push('--appendonly', 'no');
  }
  const child: ChildProcess = spawn('redis-server', args, {
    stdio: 'ignore',
    detached: ownProcessGroup,
  });
  let exited = false;
  child.once('exit', () => (exited = true));

  const deadline = Date.now() + 10_000;
  while (!(await isPortOpen(port))) {
    if (exited) throw new Error(`redis-server exited at start-up (port ${port})`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start listening on port ${port} within 10 s`);
    }
    await sleep(20);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise((done) => {
        if (exited) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}
