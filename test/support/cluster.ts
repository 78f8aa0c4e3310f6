/**
 * Several chat server processes on one Redis, and clients that record everything their sockets
 * receive, for tests of behaviour that crosses instances.
 */
import net from 'node:net';
import { RESP_TYPES, createClient } from 'redis';
import { io } from 'socket.io-client';
import type { AckResponse } from '../../src/protocol/events.js';
import type { ChatMessage, SessionUser } from '../../src/protocol/models.js';
import { SEED_LISTENERS_POLL_MS } from '../../src/server/interop/index.js';
import { type ChatClientSocket, HttpClient, connectSocket } from './clients.js';
import type { TestRedis } from './redis.js';
import { type ServerProcess, startServerProcesses } from './server.js';
import { waitFor } from './wait.js';

/** Environment of every instance in these tests: quick failure detection, loose send limits. */
export const CLUSTER_ENV = { MESSAGES_PER_SECOND: '1000', INSTANCE_TIMEOUT_S: '3' };

/** Starts instances side by side (their cold starts overlap). */
export function startInstances(
  redisUrl: string,
  count: number,
  extra: Record<string, string> = {},
): Promise<ServerProcess[]> {
  return startServerProcesses(count, redisUrl, { ...CLUSTER_ENV, ...extra });
}

/** One socket and every event it received, in order. */
export interface Tab {
  name: string;
  socket: ChatClientSocket;
  events: { event: string; payload: unknown }[];
  /** Payloads of one event. */
  received<T = unknown>(event: string): T[];
  close(): void;
}

export function recordTab(name: string, socket: ChatClientSocket): Tab {
  const events: Tab['events'] = [];
  socket.onAny((event: string, payload: unknown) => events.push({ event, payload }));
  return {
    name,
    socket,
    events,
    received: <T>(event: string) =>
      events.filter((e) => e.event === event).map((e) => e.payload as T),
    close: () => socket.close(),
  };
}

export interface Person {
  http: HttpClient;
  user: SessionUser;
}

export async function signIn(baseUrl: string, username: string, password = 'password123') {
  const http = new HttpClient(baseUrl);
  const user = await http.login(username, password);
  return { http, user } satisfies Person;
}

/** A tab of a signed-in person on one instance (the session cookie works on every instance). */
export async function openTab(server: { url: string }, person: Person, name?: string) {
  const socket = await connectSocket(server.url, person.http.cookie);
  return recordTab(name ?? `${person.user.username}@${server.url}`, socket);
}

/**
 * A tab like a browser's behind the load balancer: it reconnects by itself (quickly, for tests)
 * and so may move to another instance.
 */
export function openReconnectingTab(baseUrl: string, person: Person, name: string): Promise<Tab> {
  const socket: ChatClientSocket = io(baseUrl, {
    extraHeaders: { cookie: person.http.cookie },
    transports: ['websocket'],
    forceNew: true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
  });
  const tab = recordTab(name, socket);
  return new Promise((done, fail) => {
    socket.once('connect', () => done(tab));
    socket.once('connect_error', fail);
  });
}

export type MessageAck = AckResponse<{ message: ChatMessage }>;

export function send(tab: Tab, roomId: string, message: string, timeoutMs = 5000) {
  return tab.socket
    .timeout(timeoutMs)
    .emitWithAck('message', { roomId, message }) as Promise<MessageAck>;
}

export async function sent(tab: Tab, roomId: string, message: string): Promise<ChatMessage> {
  const ack = await send(tab, roomId, message);
  if (!ack.ok) throw new Error(`send refused: ${ack.error.code} ${ack.error.message}`);
  return ack.message;
}

/** The ids of the messages a tab received. */
export const messageIds = (tab: Tab) => tab.received<ChatMessage>('message').map((m) => m.id);

/**
 * Waits until a General message sent after everything else has reached every tab: anything sent
 * before it that was going to arrive has arrived (one sender, one instance, so order holds per
 * instance; the adapter delivers in publish order).
 */
export async function settle(tabs: Tab[], via: Tab) {
  const marker = await sent(via, '0', `marker ${Math.random()}`);
  for (const tab of tabs) {
    await waitFor(`${tab.name} to receive the marker`, () => messageIds(tab).includes(marker.id));
  }
  return marker;
}

/** The instance each live connection of a user is on, from Redis. */
export async function connectionsOf(redis: TestRedis, userId: string): Promise<string[]> {
  return redis.client.zRange(`user:${userId}:connections`, 0, -1);
}

/** A plain node-redis subscriber, the way a seed server listens on MESSAGES. */
export async function listenOnSeedChannel(redisUrl: string) {
  const subscriber = createClient({ url: redisUrl, socket: { reconnectStrategy: () => 50 } });
  subscriber.on('error', () => undefined);
  await subscriber.connect();
  const envelopes: { serverId: unknown; type: string; data: Record<string, unknown> }[] = [];
  await subscriber.subscribe('MESSAGES', (raw) => envelopes.push(JSON.parse(raw)));
  // Our instances publish only while someone else listens, and count the listeners once per
  // SEED_LISTENERS_POLL_MS: a seed server that just started misses at most that much.
  await new Promise((done) => setTimeout(done, SEED_LISTENERS_POLL_MS + 500));
  return { envelopes, close: () => subscriber.close() };
}

/**
 * A TCP proxy in front of Redis that can cut every connection and refuse new ones, then heal:
 * an outage (network, or a Redis restart) that keeps the data, which TestRedis cannot do.
 */
export async function startRedisProxy(targetPort: number) {
  const sockets = new Set<net.Socket>();
  let up = true;
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = net.createServer((client) => {
    track(client);
    if (!up) return client.destroy();
    const upstream = net.connect(targetPort, '127.0.0.1');
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as net.AddressInfo;
  const cut = () => {
    up = false;
    for (const socket of sockets) socket.destroy();
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    cut,
    heal: () => {
      up = true;
    },
    close: () =>
      new Promise<void>((done) => {
        cut();
        server.close(() => done());
      }),
  };
}

/** Keys an instance writes again by itself after an outage: presence and the instance list. */
const REBUILT_KEYS = /^(instances|online_users|instance:.*|user:\d+:connections)$/;

export interface Snapshot {
  entries: { key: string; value: Buffer; ttlMs: number }[];
}

/**
 * What a Redis with persistence would load at restart (TestRedis keeps nothing on disk), minus
 * what the instances must rebuild by themselves from their live sockets.
 */
export async function snapshot(redis: TestRedis): Promise<Snapshot> {
  const binary = redis.client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  const entries: Snapshot['entries'] = [];
  for await (const keys of redis.client.scanIterator({ COUNT: 500 })) {
    for (const key of keys) {
      if (REBUILT_KEYS.test(key)) continue;
      const [value, ttlMs] = await Promise.all([binary.dump(key), redis.client.pTTL(key)]);
      if (value) entries.push({ key, value, ttlMs: Math.max(ttlMs, 0) });
    }
  }
  return { entries };
}

export async function restore(redis: TestRedis, saved: Snapshot): Promise<void> {
  for (const { key, value, ttlMs } of saved.entries) {
    await redis.client.restore(key, ttlMs, value, { REPLACE: true });
  }
}

/** Every message of a room after a known one, oldest first, page by page. */
export async function fetchAllAfter(
  http: HttpClient,
  roomId: string,
  afterId: string,
): Promise<ChatMessage[]> {
  const all: ChatMessage[] = [];
  for (let after = afterId; ;) {
    const page = await http.get<ChatMessage[]>(`/room/${roomId}/messages?after=${after}&size=100`);
    if (page.status !== 200) throw new Error(`catch-up failed: ${JSON.stringify(page.body)}`);
    all.push(...page.body);
    const last = page.body.at(-1);
    if (!last || page.body.length < 100) return all;
    after = last.id;
  }
}

/**
 * Sends like the web client: a send either gets an ack or fails (the socket dropped under it, or
 * the server refused it while restarting), and the person sends a failed one again once
 * connected. Answers the stored message and how many attempts failed.
 */
export async function sendUntilAccepted(tab: Tab, roomId: string, text: string) {
  for (let failures = 0; failures < 5; failures++) {
    await waitFor(`${tab.name} to be connected`, () => tab.socket.connected);
    const ack = await send(tab, roomId, text).catch(() => null);
    if (ack?.ok) return { message: ack.message, failures };
    if (ack && ack.error.code !== 'unavailable') throw new Error(ack.error.message);
  }
  throw new Error(`${text} was never accepted`);
}

/** Counts the reconnections of a tab's socket. */
export function countReconnections(tab: Tab): { count: number } {
  const counter = { count: 0 };
  tab.socket.io.on('reconnect', () => counter.count++);
  return counter;
}

/**
 * Closes tabs and waits until every user is offline again, so that what their closing announces
 * (possibly after a presence hold) is over before the next test watches.
 */
export async function closeAndSettle(redis: TestRedis, tabs: Tab[]): Promise<void> {
  for (const tab of tabs.splice(0)) tab.close();
  await waitFor(
    'everybody offline after the test',
    async () => (await redis.client.sCard('online_users')) === 0,
  );
}
