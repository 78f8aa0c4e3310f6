/**
 * `npm run cluster -- 3`: N chat server instances on one Redis behind a load balancer, the way the
 * server is meant to be deployed, on one machine.
 *
 * - Redis: REDIS_URL when set, else the Redis answering on 127.0.0.1:6379, else a redis-server
 *   started here with its data under REDIS_DATA_DIR (./data), like `npm start` does.
 * - Instances: the compiled server (`npm run build:server` runs first; `--no-build` skips it),
 *   `node dist/server/main.js` on ports PORT+1 .. PORT+N, listening on 127.0.0.1 and trusting
 *   the proxy's X-Forwarded-* headers.
 * - Load balancer on PORT (8080): nginx when it is on PATH (`--node-lb` forces the fallback),
 *   else a small Node proxy. Both keep a browser on one instance (needed by Socket.IO's HTTP
 *   long-polling) by hashing its session cookie, or its address before it has one, and try the
 *   next instance when one refuses connections.
 *
 * Ctrl+C stops the balancer, then the instances (gracefully, so presence is cleaned up), then the
 * redis-server if this script started it. The children run in their own process groups so that
 * the terminal's Ctrl+C reaches this script only and the order above holds.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/server/config.js';
import { SESSION_COOKIE } from '../src/server/kernel/sessions/http-session.js';
import {
  RedisNotInstalledError,
  isPortOpen,
  redisServerInstalled,
} from '../src/server/kernel/embedded-redis.js';

const DEFAULT_INSTANCES = 3;
const MAX_INSTANCES = 16;
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

export interface Backend {
  host: string;
  port: number;
}

export interface LoadBalancer {
  url: string;
  close(): Promise<void>;
}

// --- stickiness, shared by both balancers ------------------------------------------------------

/** The session cookie's value, or null: what keeps one browser on one instance. */
export function sessionCookieOf(cookieHeader: string | undefined): string | null {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE && value.length > 0) return value.join('=');
  }
  return null;
}

/**
 * The instances to try for a client, best first: the one its key hashes to, then the others in
 * turn (used when the first refuses connections: it is stopping or dead).
 */
export function backendsFor<B>(key: string, backends: readonly B[]): B[] {
  const hash = createHash('sha1').update(key).digest().readUInt32BE(0);
  const start = hash % backends.length;
  return backends.map((_, i) => backends[(start + i) % backends.length] as B);
}

/** The key a request is routed by: its session, else its address. */
export function stickyKey(request: http.IncomingMessage): string {
  return sessionCookieOf(request.headers.cookie) ?? request.socket.remoteAddress ?? '';
}

function forwardedHeaders(request: http.IncomingMessage): Record<string, string> {
  const address = request.socket.remoteAddress ?? '';
  const previous = request.headers['x-forwarded-for'];
  return {
    'x-forwarded-for': previous ? `${String(previous)}, ${address}` : address,
    'x-forwarded-proto': 'http',
    'x-forwarded-host': request.headers.host ?? '',
  };
}

const isConnectFailure = (error: NodeJS.ErrnoException) =>
  ['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ETIMEDOUT'].includes(error.code ?? '');

// --- the Node fallback -------------------------------------------------------------------------

export interface NodeBalancerOptions {
  port: number;
  host?: string;
  backends: readonly Backend[];
  /** Told where each new client connection (HTTP request or upgrade) was sent. */
  onRoute?: (key: string, backend: Backend) => void;
}

/** A small reverse proxy for HTTP and WebSocket upgrades, for when nginx is not installed. */
export async function startNodeBalancer(options: NodeBalancerOptions): Promise<LoadBalancer> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<net.Socket>();

  const server = http.createServer((request, response) => {
    const key = stickyKey(request);
    const candidates = backendsFor(key, options.backends);
    const body: Buffer[] = [];
    request.on('data', (chunk: Buffer) => body.push(chunk));
    request.on('end', () => attempt(0));

    const attempt = (index: number) => {
      const backend = candidates[index];
      if (!backend) {
        response.writeHead(502, { 'content-type': 'text/plain' }).end('no instance is answering');
        return;
      }
      const upstream = http.request({
        host: backend.host,
        port: backend.port,
        method: request.method,
        path: request.url,
        headers: { ...request.headers, ...forwardedHeaders(request), connection: 'close' },
        agent: false,
      });
      upstream.on('response', (answer) => {
        options.onRoute?.(key, backend);
        response.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
        answer.pipe(response);
        answer.on('error', () => response.destroy());
      });
      upstream.on('error', (error: NodeJS.ErrnoException) => {
        if (!response.headersSent && isConnectFailure(error)) attempt(index + 1);
        else response.destroy();
      });
      response.on('close', () => upstream.destroy());
      upstream.end(Buffer.concat(body));
    };
  });

  server.on('upgrade', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const key = stickyKey(request);
    const candidates = backendsFor(key, options.backends);
    client.on('error', () => client.destroy());

    const attempt = (index: number) => {
      const backend = candidates[index];
      if (!backend) {
        client.end('HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\n\r\n');
        return;
      }
      const upstream = net.connect(backend.port, backend.host);
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        options.onRoute?.(key, backend);
        const headers = { ...forwardedHeaders(request) };
        const lines = [`${request.method} ${request.url} HTTP/${request.httpVersion}`];
        for (let i = 0; i < request.rawHeaders.length; i += 2) {
          const name = request.rawHeaders[i] ?? '';
          if (!(name.toLowerCase() in headers)) lines.push(`${name}: ${request.rawHeaders[i + 1]}`);
        }
        for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
        upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (head.length > 0) upstream.write(head);
        client.pipe(upstream).pipe(client);
        upstream.on('close', () => client.destroy());
        client.on('close', () => upstream.destroy());
      });
      upstream.on('error', (error: NodeJS.ErrnoException) => {
        if (!connected && isConnectFailure(error)) attempt(index + 1);
        else client.destroy();
      });
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
    };
    attempt(0);
  });

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port, host, done);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

// --- nginx -------------------------------------------------------------------------------------

export const nginxInstalled = () => spawnSync('nginx', ['-v'], { stdio: 'ignore' }).status === 0;

/** An nginx configuration that runs unprivileged from one directory. */
export function nginxConfig(dir: string, port: number, backends: readonly Backend[]): string {
  const servers = backends
    .map((b) => `    server ${b.host}:${b.port} max_fails=1 fail_timeout=5s;`)
    .join('\n');
  // As root, nginx would hand its workers to "nobody", who cannot write our temp directory.
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  return `${user}worker_processes 1;
pid ${dir}/nginx.pid;
error_log stderr warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;

  # One browser stays on one instance (Socket.IO long-polling needs it): by session cookie, or
  # by address before there is one.
  map $http_cookie $chat_sticky_key {
    "~(?:^|;)\\s*${SESSION_COOKIE.replace('.', '\\.')}=(?<sid>[^;]+)" $sid;
    default $remote_addr;
  }
  map $http_upgrade $connection_upgrade {
    default upgrade;
    "" close;
  }
  upstream chat {
    hash $chat_sticky_key consistent;
${servers}
  }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 1m;
    location / {
      proxy_pass http://chat;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      # A stopping or dead instance refuses connections: try the next one.
      proxy_next_upstream error timeout;
      proxy_connect_timeout 2s;
      proxy_read_timeout 75s;
      # Server-sent events (GET /stream) and long-polling must not wait in a buffer.
      proxy_buffering off;
    }
  }
}
`;
}

async function startNginx(port: number, backends: readonly Backend[]): Promise<LoadBalancer> {
  const dir = mkdtempSync(join(tmpdir(), 'chat-nginx-'));
  const confPath = join(dir, 'nginx.conf');
  writeFileSync(confPath, nginxConfig(dir, port, backends));
  const child = spawn('nginx', ['-p', dir, '-e', 'stderr', '-c', confPath, '-g', 'daemon off;'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  await waitUntil(
    `nginx on port ${port}`,
    () => isPortOpen(port),
    () => child.exitCode !== null,
  );
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      if (child.exitCode === null) child.kill('SIGQUIT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// --- Redis and instances -----------------------------------------------------------------------

interface RedisTarget {
  url: string;
  stop(): Promise<void>;
}

async function resolveRedis(): Promise<RedisTarget> {
  const config = loadConfig();
  if (config.redis.url) return { url: config.redis.url, stop: async () => undefined };
  const port = config.embeddedRedisPort;
  if (await isPortOpen(port)) {
    console.log(`cluster: using the Redis answering on 127.0.0.1:${port} (REDIS_URL chooses)`);
    return { url: `redis://127.0.0.1:${port}`, stop: async () => undefined };
  }
  // Started here rather than through startRedisServer so that it is in its own process group:
  // the terminal's Ctrl+C must not stop Redis before the instances have cleaned up.
  if (!redisServerInstalled()) throw new RedisNotInstalledError();
  const dataDir = resolve(config.redisDataDir);
  mkdirSync(dataDir, { recursive: true });
  const child = spawn(
    'redis-server',
    // Append-only persistence, as `npm start`'s embedded Redis has.
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--dir',
      dataDir,
      '--appendonly',
      'yes',
    ],
    { stdio: 'ignore', detached: true },
  );
  await waitUntil(
    `redis-server on port ${port}`,
    () => isPortOpen(port),
    () => child.exitCode !== null,
  );
  console.log(`cluster: started redis-server on 127.0.0.1:${port}, data in ${dataDir}`);
  return { url: `redis://127.0.0.1:${port}`, stop: () => stopChild(child, 'SIGTERM') };
}

async function waitUntil(what: string, ready: () => Promise<boolean>, failed: () => boolean) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await ready())) {
    if (failed()) throw new Error(`${what} exited at start-up`);
    if (Date.now() > deadline)
      throw new Error(`${what} was not ready within ${READY_TIMEOUT_MS} ms`);
    await sleep(50);
  }
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(force);
      done();
    });
    child.kill(signal);
  });
}

/** Prefixes each line a child prints with its name, so N logs stay readable in one terminal. */
function prefixLines(stream: NodeJS.ReadableStream | null, name: string) {
  let partial = '';
  stream?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) process.stdout.write(`[${name}] ${line}\n`);
  });
}

function startInstance(port: number, redisUrl: string): ChildProcess {
  const child = spawn(process.execPath, ['dist/server/main.js'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: redisUrl,
      TRUST_PROXY: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  prefixLines(child.stdout, String(port));
  prefixLines(child.stderr, String(port));
  return child;
}

async function waitReady(port: number, child: ChildProcess) {
  await waitUntil(
    `instance on port ${port}`,
    async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.ok === true,
    () => child.exitCode !== null,
  );
}

// --- main --------------------------------------------------------------------------------------

async function main() {
  const args = process.argv.slice(2);
  const count = Number(args.find((arg) => /^\d+$/.test(arg)) ?? DEFAULT_INSTANCES);
  if (!Number.isInteger(count) || count < 1 || count > MAX_INSTANCES) {
    console.error(`usage: npm run cluster -- [1..${MAX_INSTANCES}] [--node-lb] [--no-build]`);
    process.exit(2);
  }
  const lbPort = loadConfig().port;
  const backends: Backend[] = Array.from({ length: count }, (_, i) => ({
    host: '127.0.0.1',
    port: lbPort + 1 + i,
  }));
  for (const port of [lbPort, ...backends.map((b) => b.port)]) {
    if (await isPortOpen(port)) {
      console.error(`cluster: port ${port} is taken; set PORT to move the range`);
      process.exit(1);
    }
  }

  if (!args.includes('--no-build')) {
    const build = spawnSync('npm', ['run', '--silent', 'build:server'], { stdio: 'inherit' });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }

  const redis = await resolveRedis();
  const instances = new Map<number, ChildProcess>();
  let balancer: LoadBalancer | null = null;
  let stopping = false;

  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('cluster: stopping');
    await balancer?.close();
    await Promise.all([...instances.values()].map((child) => stopChild(child, 'SIGTERM')));
    await redis.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    const started = backends.map(({ port }) => {
      const child = startInstance(port, redis.url);
      instances.set(port, child);
      child.once('exit', (exitCode, signal) => {
        if (!stopping) console.log(`cluster: instance ${port} exited (${signal ?? exitCode})`);
      });
      return waitReady(port, child);
    });
    await Promise.all(started);
    const useNginx = !args.includes('--node-lb') && nginxInstalled();
    balancer = useNginx
      ? await startNginx(lbPort, backends)
      : await startNodeBalancer({ port: lbPort, backends });
    console.log(
      `cluster: ${count} instances on ports ${backends.map((b) => b.port).join(', ')} ` +
        `behind ${useNginx ? 'nginx' : 'the Node balancer'} at ${balancer.url} ` +
        `(Redis ${redis.url}). Ctrl+C stops everything.`,
    );
  } catch (error) {
    console.error(`cluster: ${error instanceof Error ? error.message : String(error)}`);
    await stop(1);
  }
}

const isEntryPoint = resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url);
if (isEntryPoint) void main();
