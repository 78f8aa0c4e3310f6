/**
 * How many connections one user can hold: MAX_CONNECTIONS_PER_USER sockets and /stream responses
 * together, counted over every instance, the next one refused with `too_many_connections` and a
 * closed one freeing its slot. A handshake without a session is refused before Engine.IO opens
 * anything.
 */
import { describe, expect, it } from 'vitest';
import { type ChatClientSocket, HttpClient, connectSocket } from '../support/clients.js';
import type { ServerProcess } from '../support/server.js';
import { twoInstances } from '../support/two-instances.js';
import { waitFor } from '../support/wait.js';

/** The default of MAX_CONNECTIONS_PER_USER. */
const MAX_CONNECTIONS = 20;

const chat = twoInstances({ INSTANCE_TIMEOUT_S: '3' });
const { socketOn } = chat;

/** Opens GET /stream; answers its status, and a way to close it. */
async function streamOn(server: ServerProcess, cookie: string) {
  const controller = new AbortController();
  chat.closeAfterTest(() => controller.abort());
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
    const http = new HttpClient(chat.a.url);
    await http.login('Joe');
    const sockets: ChatClientSocket[] = [];
    for (let i = 0; i < MAX_CONNECTIONS - 1; i += 1) {
      sockets.push(await socketOn(i % 2 === 0 ? chat.a : chat.b, http.cookie));
    }
    const stream = await streamOn(chat.b, http.cookie);
    expect(stream.status).toBe(200);

    // The 21st: a socket on either instance, or a stream.
    for (const server of [chat.a, chat.b]) {
      const refused = await connectSocket(server.url, http.cookie).catch((e: unknown) => e);
      expect(refused).toMatchObject({ data: { code: 'too_many_connections' } });
    }
    const refusedStream = await streamOn(chat.a, http.cookie);
    expect(refusedStream.status).toBe(429);
    expect(refusedStream.body?.code).toBe('too_many_connections');

    // Another user is not affected.
    const mary = new HttpClient(chat.b.url);
    await mary.login('Mary');
    expect((await socketOn(chat.b, mary.cookie)).connected).toBe(true);

    // A socket closed on A frees a slot for B, and a closed stream frees one for a socket.
    sockets[0]?.close();
    const again = await waitFor('a slot to free up', () =>
      connectSocket(chat.b.url, http.cookie).then(
        (socket) => {
          chat.closeAfterTest(() => socket.close());
          return socket;
        },
        () => null,
      ),
    );
    expect(again.connected).toBe(true);
    stream.close();
    const afterStream = await waitFor('the stream’s slot to free up', () =>
      connectSocket(chat.a.url, http.cookie).then(
        (socket) => {
          chat.closeAfterTest(() => socket.close());
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
      const poll = await fetch(`${chat.a.url}/socket.io/?EIO=4&transport=polling`, {
        headers: { cookie },
      });
      expect(poll.status).toBe(403);
      const body = await poll.text();
      expect(body).not.toContain('"sid"');
      expect(body).toContain('sign in first');
      const refused = await connectSocket(chat.a.url, cookie).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(Error);
      expect(refused).not.toHaveProperty('data');
    }
  });
});
