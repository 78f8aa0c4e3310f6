/**
 * Chat server instances: child processes running `src/server/main.ts` through tsx or the build
 * in `dist/` (what `npm start` runs), ready once `/readyz` answers 200; or an instance inside
 * this process, for tests that call the server directly.
 */
import { resolve } from 'node:path';
import { freePort } from '../../src/server/kernel/embedded-redis.js';
import { launchProcess, trackInProcess, waitUntil } from './processes.js';
import type { RedisDeployment } from './redis.js';

/** The checkout this launcher belongs to. */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');
const READY_TIMEOUT_MS = 30_000;

/** `tsx`: the TypeScript sources, nothing to build. `dist`: the build, as `npm start` runs it. */
export type ServerEntry = 'tsx' | 'dist';

const ENTRY_ARGS: Record<ServerEntry, string[]> = {
  tsx: ['--import', 'tsx', 'src/server/main.ts'],
  dist: ['dist/server/main.js'],
};

export interface ServerOptions {
  /** The Redis it uses; null: none configured, so it finds or embeds one itself as `npm start` does. */
  redis: RedisDeployment | null;
  /** Default `tsx`. */
  entry?: ServerEntry;
  /** Default: a free port. */
  port?: number;
  /** Variables added to the inherited environment (they win over it). */
  env?: Readonly<Record<string, string>>;
  /** The checkout to run (default: this one). */
  cwd?: string;
  /** Node flags placed before the entry, such as `--cpu-prof`. */
  nodeArgs?: readonly string[];
  /** Each line an instance prints, as it prints it, with the instance's port. */
  onLine?: (line: string, port: number) => void;
  /** How long a start may take until /readyz answers 200 (default 30 s; more on a busy machine). */
  readyTimeoutMs?: number;
}

/** What every running instance offers, wherever it runs. */
export interface ChatServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<unknown>;
}

export interface ChatServerProcess extends ChatServer {
  readonly pid: number;
  /** False once the process has exited. */
  readonly running: boolean;
  /** Its exit code (null when a signal ended it), whoever stopped it. */
  readonly exited: Promise<number | null>;
  /** The end of what it printed. */
  output(): string;
  /** SIGTERM (a graceful stop), SIGKILL after the deadline; answers the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, as a crash. */
  kill(): Promise<void>;
}

/** Starts one instance as a child process and waits until it is ready. */
export async function startServer(options: ServerOptions): Promise<ChatServerProcess> {
  const port = options.port ?? (await freePort());
  const env: NodeJS.ProcessEnv = { ...process.env };
  // With no Redis given, the instance must not pick up one from the caller's environment.
  if (!options.redis) delete env.REDIS_URL;
  Object.assign(env, { HOST: '127.0.0.1' }, options.redis?.serverEnv, options.env, {
    PORT: String(port),
  });
  const entry = options.entry ?? 'tsx';
  const child = launchProcess({
    name: `chat server ${port}`,
    stage: 'server',
    command: process.execPath,
    args: [...(options.nodeArgs ?? []), ...ENTRY_ARGS[entry]],
    cwd: options.cwd ?? REPO_ROOT,
    env,
    onLine: options.onLine && ((line) => options.onLine?.(line, port)),
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntil(
      `chat server on port ${port}`,
      async () => (await fetch(`${url}/readyz`).catch(() => null))?.ok === true,
      () => (child.running ? null : `exited at start-up:\n${child.output()}`),
      options.readyTimeoutMs ?? READY_TIMEOUT_MS,
    );
  } catch (error) {
    await child.kill();
    throw error;
  }
  return {
    url,
    port,
    pid: child.pid,
    get running() {
      return child.running;
    },
    exited: child.exited,
    output: child.output,
    stop: () => child.stop(),
    kill: child.kill,
  };
}

/**
 * Starts several instances side by side (their cold starts overlap) on `ports`, or free ports;
 * all of them or, when one fails, none.
 */
export async function startServers(
  count: number,
  options: Omit<ServerOptions, 'port'> & { ports?: readonly number[] },
): Promise<ChatServerProcess[]> {
  const starts = Array.from({ length: count }, (_, i) =>
    startServer({ ...options, port: options.ports?.[i] }),
  );
  const results = await Promise.allSettled(starts);
  const failure = results.find((result) => result.status === 'rejected');
  const started = results.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  if (failure) {
    await Promise.all(started.map((server) => server.stop()));
    throw failure.reason;
  }
  return started;
}

export interface InProcessServer extends ChatServer {
  /** The instance's id in Redis and in its MESSAGES envelopes. */
  readonly serverId: string;
  /** Every route its HTTP server registered. */
  readonly routes: readonly { method: string; url: string }[];
  stop(): Promise<void>;
}

/**
 * An instance inside this process, through the function main.ts runs: its configuration comes
 * from `env` alone (on 127.0.0.1, a free port).
 */
export async function startInProcessServer(options: {
  redis: RedisDeployment;
  env?: Readonly<Record<string, string>>;
}): Promise<InProcessServer> {
  // Loaded on demand: the other launcher users (cluster, bench) never run a server in-process.
  const [{ startChatServer }, { loadConfig }, { pino }] = await Promise.all([
    import('../../src/server/app.js'),
    import('../../src/server/config.js'),
    import('pino'),
  ]);
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    ...options.redis.serverEnv,
    ...options.env,
  });
  const [redisUrl] = options.redis.urls;
  if (!redisUrl) throw new Error('the Redis deployment has no node');
  const server = await startChatServer(config, pino({ level: config.logLevel }), redisUrl);
  const tracked = trackInProcess('server', () => server.close());
  return {
    url: server.url,
    port: server.port,
    serverId: server.serverId,
    routes: server.routes,
    stop: tracked.close,
  };
}
