/**
 * Real clients for tests: an HTTP client that keeps its session cookie like a browser, and
 * Socket.IO clients that present that cookie at the handshake.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/protocol/events.js';
import type { SessionUser } from '../../src/protocol/models.js';

export type ChatClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export class HttpClient {
  cookie = '';

  constructor(readonly baseUrl: string) {}

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    rawBody?: string,
    headers: Record<string, string> = {},
  ): Promise<HttpResult<T>> {
    const init: RequestInit = { method, headers: { ...headers } };
    const allHeaders = init.headers as Record<string, string>;
    if (this.cookie) allHeaders.cookie = this.cookie;
    if (body !== undefined || rawBody !== undefined) {
      allHeaders['content-type'] ??= 'application/json';
      init.body = rawBody ?? JSON.stringify(body);
    }
    const response = await fetch(`${this.baseUrl}${path}`, init);
    const setCookie = response.headers.getSetCookie();
    for (const line of setCookie) {
      const pair = line.split(';')[0] ?? '';
      // An expired cookie (logout) clears it.
      this.cookie = /expires=Thu, 01 Jan 1970/i.test(line) || pair.endsWith('=') ? '' : pair;
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // plain text answer (GET /randomname)
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  get<T = unknown>(path: string) {
    return this.request<T>('GET', path);
  }

  post<T = unknown>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body ?? {});
  }

  async login(username: string, password = 'password123'): Promise<SessionUser> {
    const result = await this.post<SessionUser>('/login', { username, password });
    if (result.status !== 200 && result.status !== 201) {
      throw new Error(
        `login as ${username} failed: ${result.status} ${JSON.stringify(result.body)}`,
      );
    }
    return result.body;
  }
}

/** Opens a socket with the client's session and waits for the connection (or its refusal). */
export function connectSocket(
  baseUrl: string,
  cookie: string,
  options: { transports?: string[]; headers?: Record<string, string> } = {},
): Promise<ChatClientSocket> {
  const socket: ChatClientSocket = io(baseUrl, {
    extraHeaders: { ...options.headers, ...(cookie ? { cookie } : {}) },
    transports: options.transports ?? ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  return new Promise((done, fail) => {
    socket.once('connect', () => done(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      fail(error);
    });
  });
}

/** Collects every event of one name that a socket receives. */
export function collect<E extends keyof ServerToClientEvents>(socket: ChatClientSocket, event: E) {
  const received: Parameters<ServerToClientEvents[E]>[0][] = [];
  socket.on(event, ((payload: Parameters<ServerToClientEvents[E]>[0]) =>
    received.push(payload)) as never);
  return received;
}
