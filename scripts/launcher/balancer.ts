/**
 * A load balancer in front of the instances, the way the chat is meant to be deployed: nginx when
 * it is installed, else a small Node proxy. Both keep a browser on one instance (Socket.IO's
 * HTTP long-polling needs it) by hashing its session cookie, or its address before it has one,
 * pass WebSocket upgrades, and try the next instance when one refuses connections.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { SESSION_COOKIE } from '../../src/server/kernel/sessions/http-session.js';
import { freePort, isPortOpen } from '../../src/server/kernel/embedded-redis.js';
import { launchProcess, temporaryDirectory, trackInProcess, waitUntil } from './processes.js';

const NGINX_READY_TIMEOUT_MS = 10_000;

export interface Backend {
  host: string;
  port: number;
}

export type BalancerKind = 'nginx' | 'node';

export interface Balancer {
  readonly kind: BalancerKind;
  readonly url: string;
  readonly port: number;
  /** nginx's master process; null for the Node proxy, which runs in this process. */
  readonly pid: number | null;
  close(): Promise<void>;
}

export interface BalancerOptions {
  /** 0: a free port. */
  port: number;
  backends: readonly Backend[];
  /** Default: nginx when it is installed, else the Node proxy. */
  kind?: BalancerKind;
  /** Node proxy only: told where each new client connection was sent. */
  onRoute?: (key: string, backend: Backend) => void;
}

/** Starts the balancer and waits until it accepts connections. */
export function startBalancer(options: BalancerOptions): Promise<Balancer> {
  const kind = options.kind ?? (nginxInstalled() ? 'nginx' : 'node');
  return kind === 'nginx' ? startNginx(options.port, options.backends) : startNodeBalancer(options);
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

/** A small reverse proxy for HTTP and WebSocket upgrades, for when nginx is not installed. */
async function startNodeBalancer(options: BalancerOptions): Promise<Balancer> {
  const host = '127.0.0.1';
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
  const tracked = trackInProcess(
    'balancer',
    () =>
      new Promise((done) => {
        server.close(() => done());
        for (const socket of sockets) socket.destroy();
      }),
  );
  return { kind: 'node', url: `http://${host}:${port}`, port, pid: null, close: tracked.close };
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

async function startNginx(requestedPort: number, backends: readonly Backend[]): Promise<Balancer> {
  const port = requestedPort || (await freePort());
  const dir = temporaryDirectory('chat-nginx-');
  const confPath = join(dir.path, 'nginx.conf');
  writeFileSync(confPath, nginxConfig(dir.path, port, backends));
  const nginx = launchProcess({
    name: `nginx ${port}`,
    stage: 'balancer',
    command: 'nginx',
    args: ['-p', dir.path, '-e', 'stderr', '-c', confPath, '-g', 'daemon off;'],
    onLine: (line) => console.error(`[nginx] ${line}`),
  });
  try {
    await waitUntil(
      `nginx on port ${port}`,
      () => isPortOpen(port),
      () => (nginx.running ? null : `exited at start-up:\n${nginx.output()}`),
      NGINX_READY_TIMEOUT_MS,
    );
  } catch (error) {
    await nginx.kill();
    dir.remove();
    throw error;
  }
  return {
    kind: 'nginx',
    url: `http://127.0.0.1:${port}`,
    port,
    pid: nginx.pid,
    close: async () => {
      // SIGQUIT: nginx finishes the requests under way, then exits.
      await nginx.stop({ signal: 'SIGQUIT' });
      dir.remove();
    },
  };
}
