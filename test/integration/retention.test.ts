/**
 * Retention against a real Redis and two server processes (RETENTION_MAX_MESSAGES_PER_ROOM=5,
 * a run tried every 1.5 s by each): while someone else holds the job's lock neither instance
 * trims; once it is free exactly one instance trims, and the trimmed messages are gone from
 * history, from search and from the mention and reaction keys that pointed at them.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/protocol/models.js';
import { type ChatClientSocket, HttpClient, connectSocket } from '../support/clients.js';
import { startInstances } from '../support/cluster.js';
import { scrape, sumOf } from '../support/metrics.js';
import { type TestRedis, startTestRedis } from '../support/redis.js';
import type { ServerProcess } from '../support/server.js';
import { waitFor } from '../support/wait.js';

const KEEP = 5;
const INTERVAL_MS = 1_500;
const LOCK_KEY = 'retention:lock';

let redis: TestRedis;
let servers: ServerProcess[];
const closers: (() => void)[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  // Held by "someone else" from the start: no instance may trim until it is released.
  await redis.client.set(LOCK_KEY, 'held-by-the-test');
  servers = await startInstances(redis.url, 2, {
    RETENTION_MAX_MESSAGES_PER_ROOM: String(KEEP),
    RETENTION_INTERVAL_MS: String(INTERVAL_MS),
  });
});

afterEach(() => {
  for (const close of closers.splice(0)) close();
});

afterAll(async () => {
  await Promise.all((servers ?? []).map((server) => server.stop()));
  await redis?.stop();
});

async function signedIn(server: ServerProcess, username: string) {
  const http = new HttpClient(server.url);
  await http.login(username);
  const socket: ChatClientSocket = await connectSocket(server.url, http.cookie);
  closers.push(() => socket.close());
  return { http, socket };
}

async function send(
  socket: ChatClientSocket,
  message: string,
  replyTo?: string,
): Promise<ChatMessage> {
  const ack = (await socket.emitWithAck('message', { roomId: '0', message, replyTo })) as {
    ok: true;
    message: ChatMessage;
  };
  return ack.message;
}

it('one instance at a time trims old messages, with their search entries, mentions, reactions and threads', async () => {
  const [a, b] = servers as [ServerProcess, ServerProcess];
  const pablo = await signedIn(a, 'Pablo');
  const joe = await signedIn(b, 'Joe');
  const old: ChatMessage[] = [];
  for (let i = 0; i < 6; i++) old.push(await send(pablo.socket, `zeppelinword ${i} @Joe`));
  const threadStart = old[1] as ChatMessage;
  // A thread among the old messages: its reply goes with them, and so does its listing.
  await send(joe.socket, 'zeppelinword in a thread', threadStart.id);
  const recent: ChatMessage[] = [];
  for (let i = 0; i < KEEP; i++) recent.push(await send(pablo.socket, `recent ${i}`));
  const reacted = old[0] as ChatMessage;
  await joe.socket.emitWithAck('reaction.add', {
    roomId: '0',
    messageId: reacted.id,
    emoji: '👍',
  });
  const before = await redis.client.zCard('room:0');
  expect(before).toBeGreaterThan(KEEP + old.length - 1);
  expect(await redis.client.zCard(`{room:0}:search:zeppelinword`)).toBe(old.length + 1);
  expect(await redis.client.zCard('room:0:mentions:2')).toBeGreaterThanOrEqual(old.length);
  expect(await redis.client.exists(`{room:0}:reactions:${reacted.id}`)).toBe(1);
  expect(await redis.client.zCard(`{room:0}:thread:${threadStart.id}`)).toBe(1);
  expect(Number(await redis.client.hExists('{room:0}:threads', threadStart.id))).toBe(1);

  // Two intervals of both instances go by: the lock held elsewhere stops every run.
  await new Promise((done) => setTimeout(done, INTERVAL_MS * 2 + 500));
  expect(await redis.client.zCard('room:0')).toBe(before);

  await redis.client.del(LOCK_KEY);
  await waitFor('General to keep its newest messages only', async () => {
    return (await redis.client.zCard('room:0')) === KEEP;
  });

  // Exactly the excess was removed, all of it by one instance.
  const removedBy = await Promise.all(
    servers.map(async (server) =>
      sumOf(await scrape(server.url), 'chat_retention_removed_messages_total'),
    ),
  );
  expect(removedBy.reduce((sum, n) => sum + n, 0)).toBe(before - KEEP);
  expect(removedBy.filter((n) => n > 0)).toHaveLength(1);

  const history = await pablo.http.get<ChatMessage[]>('/room/0/messages?offset=0&size=50');
  expect(history.body.map((message) => message.id).sort()).toEqual(
    recent.map((message) => message.id).sort(),
  );
  const search = await pablo.http.get<{ hits: unknown[] }>('/search?q=zeppelinword');
  expect(search.status).toBe(200);
  expect(search.body.hits).toEqual([]);
  expect(await redis.client.exists('{room:0}:search:zeppelinword')).toBe(0);
  expect(await redis.client.zCard('room:0:mentions:2')).toBe(0);
  expect(await redis.client.exists(`{room:0}:reactions:${reacted.id}`)).toBe(0);
  expect(await redis.client.exists(`{room:0}:thread:${threadStart.id}`)).toBe(0);
  expect(Number(await redis.client.hExists('{room:0}:threads', threadStart.id))).toBe(0);
  // The lock is released after each run, by its holder.
  await waitFor('the lock to be free', async () => (await redis.client.exists(LOCK_KEY)) === 0);
});
