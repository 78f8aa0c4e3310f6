/**
 * Chat servers for tests: in-process through startChatServer (the function main.ts runs), or as
 * real child processes through src/server/main.ts for behaviour that crosses instances.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { pino } from 'pino';
import { startChatServer, type RunningChatServer } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { freePort } from '../../src/server/kernel/embedded-redis.js';
import { waitFor } from './wait.js';

/** Environment for a test server: quiet, no HTTPS, and limits loose enough for test traffic. */
export function testEnv(
  redisUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    REDIS_URL: redisUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    COOKIE_SECURE: 'false',
    WEB_DIST_DIR: 'dist/web',
    ...extra,
  };
}

export async function startInProcessServer(
  redisUrl: string,
  extra: Record<string, string> = {},
): Promise<RunningChatServer> {
  const config = loadConfig(testEnv(redisUrl, extra));
  return startChatServer(config, pino({ level: config.logLevel }), redisUrl);
}

export interface ServerProcess {
  port: number;
  url: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL, as a crash. */
  kill(): Promise<void>;
}

/** Runs `src/server/main.ts` as its own process: the same path as `npm start`. */
export async function startServerProcess(
  redisUrl: string | null,
  extra: Record<string, string> = {},
): Promise<ServerProcess> {
  const port = Number(extra.PORT ?? (await freePort()));
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ...testEnv(redisUrl ?? '', { LOG_LEVEL: 'info', ...extra }),
    PORT: String(port),
  };
  if (!redisUrl) delete env.REDIS_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    `server on port ${port} to be ready`,
    async () => {
      if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
      const response = await fetch(`${url}/readyz`).catch(() => null);
      return response?.ok;
    },
    30_000,
  );
  return {
    port,
    url,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
