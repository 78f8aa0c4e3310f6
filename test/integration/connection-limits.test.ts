/**
 * How many connections one user can hold: MAX_CONNECTIONS_PER_USER sockets and /stream responses
 * together, counted over every instance, the next one refused with `too_many_connections` and a
 * closed one freeing its slot. A handshake without a session is refused before Engine.IO opens
 * anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatClientSocket, HttpClient, connectSocket } from '../support/clients.js';
import { startInstances } from '../support/cluster.js';
import { type TestRedis, startTestRedis } from '../support/redis.js';
import type { ServerProcess } from '../support/server.js';
import { waitFor } from '../support/wait.js';

/** The default of MAX_CONNECTIONS_PER_USER. */
const MAX_CONNECTIONS = 20;

let redis: TestRedis;
let instanceA: ServerProcess;
let instanceB: ServerProcess;
const closers: (() => void)[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  [instanceA, instanceB] = (await startInstances(redis.url, 2)) as [ServerProcess, ServerProcess];
});

afterAll(async () => {
  for (const close of closers.splice(0)) close();
  await Promise.all([instanceA, instanceB].map((server) => server?.stop()));
  await redis?.stop();
});

async function socketOn(server: ServerProcess, cookie: string): Promise<ChatClientSocket> {
  const socket = await connectSocket(server.url, cookie);
  closers.push(() => socket.close());
  return socket;
}

/** Opens GET /stream; answers its status, and a way to close it. */
async function streamOn(server: ServerProcess, cookie: string) {
  const controller = new AbortController();
  closers.push(() => controller.abort());
  const response = await fetch(`${server.url}/stream`, {
    headers: { cookie },
    signal: controller.signal,
  });
  return {
    status: response.status,
    body: response.status === 200 ? null : ((await response.json()) as { code: string }),
    close: () => controller.abort(),
  };
}

describe('connections per user', () => {
  it('allows MAX_CONNECTIONS_PER_USER over both instances, refuses the next, frees a closed one', async () => {
    const http = new HttpClient(instanceA.url);
    await http.login('Joe');
    const sockets: ChatClientSocket[] = [];
    for (let i = 0; i < MAX_CONNECTIONS - 1; i += 1) {
      sockets.push(await socketOn(i % 2 === 0 ? instanceA : instanceB, http.cookie));
    }
    const stream = await streamOn(instanceB, http.cookie);
    expect(stream.status).toBe(200);

    // The 21st: a socket on either instance, or a stream.
    for (const server of [instanceA, instanceB]) {
      const refused = await connectSocket(server.url, http.cookie).catch((e: unknown) => e);
      expect(refused).toMatchObject({ data: { code: 'too_many_connections' } });
    }
    const refusedStream = await streamOn(instanceA, http.cookie);
    expect(refusedStream.status).toBe(429);
    expect(refusedStream.body?.code).toBe('too_many_connections');

    // Another user is not affected.
    const mary = new HttpClient(instanceB.url);
    await mary.login('Mary');
    expect((await socketOn(instanceB, mary.cookie)).connected).toBe(true);

    // A socket closed on A frees a slot for B, and a closed stream frees one for a socket.
    sockets[0]?.close();
    const again = await waitFor('a slot to free up', () =>
      connectSocket(instanceB.url, http.cookie).then(
        (socket) => {
          closers.push(() => socket.close());
          return socket;
        },
        () => null,
      ),
    );
    expect(again.connected).toBe(true);
    stream.close();
    const afterStream = await waitFor('the stream’s slot to free up', () =>
      connectSocket(instanceA.url, http.cookie).then(
        (socket) => {
          closers.push(() => socket.close());
          return socket;
        },
        () => null,
      ),
    );
    expect(afterStream.connected).toBe(true);
  });
});

describe('a handshake without a session', () => {
  it('is refused before Engine.IO opens a connection, on long-polling and WebSocket', async () => {
    for (const cookie of ['', 'chat.sid=forged.signature']) {
      const poll = await fetch(`${instanceA.url}/socket.io/?EIO=4&transport=polling`, {
        headers: { cookie },
      });
      expect(poll.status).toBe(403);
      const body = await poll.text();
      expect(body).not.toContain('"sid"');
      expect(body).toContain('sign in first');
      const refused = await connectSocket(instanceA.url, cookie).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(Error);
      expect(refused).not.toHaveProperty('data');
    }
  });
});
