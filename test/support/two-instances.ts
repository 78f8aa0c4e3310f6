/**
 * The setting of most integration tests: two server processes on one test Redis, and people
 * signed in on either of them. Calling `twoInstances()` at the top of a test file registers the
 * hooks that start them before the file's tests, close every socket and stream a test opened
 * after it, and stop the servers and Redis at the end.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { AckResponse } from '../../src/protocol/events.js';
import type { ChatMessage, SessionUser } from '../../src/protocol/models.js';
import { type ChatClientSocket, HttpClient, connectSocket } from './clients.js';
import { startTestRedis, type TestRedis } from './redis.js';
import { type ServerProcess, startServerProcess } from './server.js';

/** Loose send limits, so that tests may post quickly; quiet logs. */
const BASE_ENV = { MESSAGES_PER_SECOND: '1000', LOG_LEVEL: 'warn' };
/** Two cold starts, one after the other, each within its own deadline on a busy machine. */
const START_TIMEOUT_MS = 120_000;

export interface SignedIn {
  http: HttpClient;
  user: SessionUser;
  socket: ChatClientSocket;
}

export interface TwoInstances {
  readonly redis: TestRedis;
  readonly a: ServerProcess;
  readonly b: ServerProcess;
  /** Signs a user in on one instance and opens a socket there, closed after the test. */
  on(server: ServerProcess, username: string, password?: string): Promise<SignedIn>;
  /** Opens a socket with a session on one instance, closed after the test. */
  socketOn(server: ServerProcess, cookie: string): Promise<ChatClientSocket>;
  /** Runs `close` after the current test (a stream, a socket made some other way). */
  closeAfterTest(close: () => void): void;
}

export function twoInstances(env: Record<string, string> = {}): TwoInstances {
  let redis: TestRedis | undefined;
  let a: ServerProcess | undefined;
  let b: ServerProcess | undefined;
  const closers: (() => void)[] = [];
  const started = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`${name} is not started: use it inside a test`);
    return value;
  };

  beforeAll(async () => {
    redis = await startTestRedis();
    a = await startServerProcess(redis.url, { ...BASE_ENV, ...env });
    b = await startServerProcess(redis.url, { ...BASE_ENV, ...env });
  }, START_TIMEOUT_MS);

  afterEach(() => {
    for (const close of closers.splice(0)) close();
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
  });

  const socketOn = async (server: ServerProcess, cookie: string) => {
    const socket = await connectSocket(server.url, cookie);
    closers.push(() => socket.close());
    return socket;
  };

  return {
    get redis() {
      return started(redis, 'Redis');
    },
    get a() {
      return started(a, 'instance a');
    },
    get b() {
      return started(b, 'instance b');
    },
    async on(server, username, password = 'password123') {
      const http = new HttpClient(server.url);
      const user = await http.login(username, password);
      const socket = await socketOn(server, http.cookie);
      return { http, user, socket };
    },
    socketOn,
    closeAfterTest(close) {
      closers.push(close);
    },
  };
}

/** Emits an event and answers its ack, which the server always sends (5 s at most). */
export function emitWithAck<T extends object>(
  socket: ChatClientSocket,
  event: string,
  payload: unknown,
): Promise<AckResponse<T>> {
  return socket
    .timeout(5000)
    .emitWithAck(event as 'message', payload as never) as unknown as Promise<AckResponse<T>>;
}

/** Posts a message and answers it as stored; a refusal fails the test with its reason. */
export async function post(
  socket: ChatClientSocket,
  roomId: string,
  message: string,
  extra: Record<string, unknown> = {},
): Promise<ChatMessage> {
  const ack = await emitWithAck<{ message: ChatMessage }>(socket, 'message', {
    roomId,
    message,
    ...extra,
  });
  if (!ack.ok) throw new Error(`send refused: ${ack.error.message}`);
  return ack.message;
}
