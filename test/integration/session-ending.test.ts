/**
 * A session that ends takes its live connections with it, on every instance: a socket or a
 * `/stream` opened on instance B closes within a second of signing out through instance A, and
 * nothing can be posted through it afterwards. The same holds when a session expires, when it is
 * signed in over, and for every session of a user ended at once (what a ban does).
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/protocol/models.js';
import { SessionEnding } from '../../src/server/kernel/sessions/session-ending.js';
import { RedisSessionStore } from '../../src/server/kernel/sessions/session-store.js';
import { type ChatClientSocket, HttpClient, connectSocket } from '../support/clients.js';
import { type ServerProcess, startServerProcess } from '../support/server.js';
import { twoInstances } from '../support/two-instances.js';
import { waitFor } from '../support/wait.js';

/** How long a live connection may outlive its session. */
const END_WITHIN_MS = 1_000;

const chat = twoInstances({ INSTANCE_TIMEOUT_S: '3' });
const { socketOn } = chat;

async function signedIn(username: string, via: ServerProcess = chat.a) {
  const http = new HttpClient(via.url);
  const user = await http.login(username, username === 'Joe' ? 'password123' : 'pw-secret');
  return { http, user };
}

/** Opens GET /stream and tells when the server ends it. */
async function streamOn(server: ServerProcess, cookie: string) {
  const controller = new AbortController();
  chat.closeAfterTest(() => controller.abort());
  const response = await fetch(`${server.url}/stream`, {
    headers: { cookie },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  const state = { ended: false };
  const reader = response.body?.getReader();
  void (async () => {
    for (;;) {
      const chunk = await reader?.read().catch(() => undefined);
      if (!chunk || chunk.done) break;
    }
    state.ended = true;
  })();
  return state;
}

function disconnection(socket: ChatClientSocket) {
  const seen: { reason: string | null } = { reason: null };
  socket.on('disconnect', (reason) => {
    seen.reason = reason;
  });
  return seen;
}

/** What General holds, read by someone else. */
async function generalTexts(): Promise<string[]> {
  const reader = await signedIn('Joe', chat.b);
  const page = await reader.http.get<ChatMessage[]>('/room/0/messages?offset=0&size=50');
  return page.body.map((message) => message.message);
}

describe('signing out', () => {
  it('closes the session’s socket on another instance within a second; it can post nothing more', async () => {
    const { http } = await signedIn(`Ada${Date.now()}`);
    const socket = await socketOn(chat.b, http.cookie);
    const seen = disconnection(socket);
    const ack = await socket
      .timeout(5_000)
      .emitWithAck('message', { roomId: '0', message: 'before' });
    expect(ack.ok).toBe(true);

    const cookie = http.cookie;
    expect((await http.post('/logout')).status).toBe(204);
    await waitFor('the socket to be closed by the server', () => seen.reason, END_WITHIN_MS);
    expect(seen.reason).toBe('io server disconnect');

    // Whatever it tries now reaches nobody, and the cookie opens no new socket.
    const late = `after sign-out ${Date.now()}`;
    await expect(
      socket.timeout(500).emitWithAck('message', { roomId: '0', message: late }),
    ).rejects.toThrow();
    const refused = await connectSocket(chat.b.url, cookie).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as { connected?: boolean }).connected).toBeUndefined();
    expect(await generalTexts()).not.toContain(late);
  });

  it('ends the session’s /stream on another instance within a second', async () => {
    const { http } = await signedIn(`Bea${Date.now()}`);
    const stream = await streamOn(chat.b, http.cookie);
    expect((await http.post('/logout')).status).toBe(204);
    await waitFor('the stream to be ended by the server', () => stream.ended, END_WITHIN_MS);
  });

  it('leaves the user’s other sessions connected', async () => {
    const name = `Cy${Date.now()}`;
    const first = await signedIn(name);
    const second = await signedIn(name, chat.b);
    const kept = await socketOn(chat.b, second.http.cookie);
    const ended = await socketOn(chat.b, first.http.cookie);
    const endedSeen = disconnection(ended);
    await first.http.post('/logout');
    await waitFor('the signed-out socket to close', () => endedSeen.reason, END_WITHIN_MS);
    const ack = await kept
      .timeout(5_000)
      .emitWithAck('message', { roomId: '0', message: 'still here' });
    expect(ack.ok).toBe(true);
    expect(kept.connected).toBe(true);
  });

  it('signing in over a session ends the connections of the session it replaces', async () => {
    const { http } = await signedIn(`Dee${Date.now()}`);
    const socket = await socketOn(chat.b, http.cookie);
    const seen = disconnection(socket);
    // The same browser signs in as someone else: the old session id is replaced.
    await http.login(`Eve${Date.now()}`, 'pw-other');
    await waitFor('the old session’s socket to close', () => seen.reason, END_WITHIN_MS);
  });
});

describe('ending every session of a user, as a ban does', () => {
  it('closes their sockets and streams on every instance; others stay', async () => {
    const name = `Fay${Date.now()}`;
    const laptop = await signedIn(name);
    const phone = await signedIn(name, chat.b);
    const bystander = await signedIn('Joe');
    const sockets = [
      await socketOn(chat.a, laptop.http.cookie),
      await socketOn(chat.b, phone.http.cookie),
    ];
    const seen = sockets.map(disconnection);
    const stream = await streamOn(chat.b, laptop.http.cookie);
    const other = await socketOn(chat.b, bystander.http.cookie);

    // Only a Redis client: what a command-line tool has.
    const admin = createClient({ url: chat.redis.url });
    await admin.connect();
    try {
      const ended = await new SessionEnding(admin).endSessionsOf(laptop.user.id, 'banned');
      expect(ended).toHaveLength(2);
    } finally {
      await admin.close();
    }
    await waitFor(
      'both sockets and the stream to close',
      () => seen.every((s) => s.reason === 'io server disconnect') && stream.ended,
      END_WITHIN_MS,
    );
    expect((await laptop.http.get('/me')).body).toBeNull();
    expect((await phone.http.get('/me')).body).toBeNull();
    expect(other.connected).toBe(true);
    expect(await chat.redis.client.exists(`user:${laptop.user.id}:sessions`)).toBe(0);
  });
});

describe('signing out everywhere', () => {
  it('POST /logout/all ends every session of the user and their sockets and streams on every instance', async () => {
    const name = `Hal${Date.now()}`;
    const laptop = await signedIn(name);
    const phone = await signedIn(name, chat.b);
    const bystander = await signedIn('Joe', chat.b);
    const sockets = [
      await socketOn(chat.a, laptop.http.cookie),
      await socketOn(chat.b, phone.http.cookie),
    ];
    const seen = sockets.map(disconnection);
    const stream = await streamOn(chat.b, phone.http.cookie);
    const other = await socketOn(chat.b, bystander.http.cookie);
    const phoneCookie = phone.http.cookie;

    expect((await laptop.http.post('/logout/all')).status).toBe(204);
    await waitFor(
      'both sockets and the stream to close',
      () => seen.every((s) => s.reason === 'io server disconnect') && stream.ended,
      END_WITHIN_MS,
    );
    expect((await laptop.http.get('/me')).body).toBeNull();
    expect((await phone.http.get('/me')).body).toBeNull();
    // Refused before a connection exists (see the handshake check in socket-session.ts).
    expect(await connectSocket(chat.a.url, phoneCookie).catch((e: unknown) => e)).toBeInstanceOf(
      Error,
    );
    expect(other.connected).toBe(true);
  });
});

describe('changing the password', () => {
  it('ends the other sessions and their sockets on every instance; this one stays', async () => {
    const name = `Ivy${Date.now()}`;
    const here = await signedIn(name);
    const thief = await signedIn(name, chat.b);
    const kept = await socketOn(chat.a, here.http.cookie);
    const lost = await socketOn(chat.b, thief.http.cookie);
    const lostSeen = disconnection(lost);
    const keptSeen = disconnection(kept);

    const wrong = await here.http.post('/me/password', { current: 'guess', password: 'new-pw' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ code: 'invalid_credentials' });
    expect(lost.connected).toBe(true);

    const changed = await here.http.post('/me/password', {
      current: 'pw-secret',
      password: 'new-pw-secret',
    });
    expect(changed.status).toBe(204);
    await waitFor('the other session’s socket to close', () => lostSeen.reason, END_WITHIN_MS);
    expect((await thief.http.get('/me')).body).toBeNull();
    expect((await here.http.get<{ username: string }>('/me')).body.username).toBe(name);
    const ack = await kept
      .timeout(5_000)
      .emitWithAck('message', { roomId: '0', message: 'still signed in' });
    expect(ack.ok).toBe(true);
    expect(keptSeen.reason).toBeNull();
    // Only the new password opens the account now.
    await expect(new HttpClient(chat.b.url).login(name, 'pw-secret')).rejects.toThrow(/401/);
    await new HttpClient(chat.b.url).login(name, 'new-pw-secret');
  });
});

describe('the session store', () => {
  it('does not bring back a session ended while a request that loaded it was still running', async () => {
    const store = new RedisSessionStore(
      chat.redis.client,
      60,
      new SessionEnding(chat.redis.client),
    );
    const save = (session: object) =>
      new Promise<void>((done, fail) =>
        store.set('resurrection-test', session as never, (error) => (error ? fail(error) : done())),
      );
    const expires = new Date(Date.now() + 60_000);
    // Signing in: the plugin stores the new session empty, then with its user.
    await save({ cookie: { expires } });
    await save({ cookie: { expires }, user: { id: '99', username: 'Zed' } });
    expect(await chat.redis.client.zRange('user:99:sessions', 0, -1)).toEqual([
      'resurrection-test',
    ]);

    await new SessionEnding(chat.redis.client).endSessionsOf('99', 'signed_out_everywhere');
    // The late request renews what it loaded before the end.
    await save({ cookie: { expires }, user: { id: '99', username: 'Zed' } });
    expect(await chat.redis.client.exists('session:resurrection-test')).toBe(0);
  });
});

describe('a session that expires', () => {
  let shortLived: ServerProcess;

  beforeAll(async () => {
    shortLived = await startServerProcess(chat.redis.url, { SESSION_TTL_S: '2' });
  });

  afterAll(async () => {
    await shortLived?.stop();
  });

  it('closes its socket and stream when it expires unused', async () => {
    const http = new HttpClient(shortLived.url);
    await http.login(`Gus${Date.now()}`, 'pw-secret');
    const socket = await socketOn(shortLived, http.cookie);
    const seen = disconnection(socket);
    const stream = await streamOn(shortLived, http.cookie);
    // Two seconds of life, and a little for the timer to find the key gone.
    await waitFor(
      'the expired session’s connections to close',
      () => seen.reason && stream.ended,
      4_000,
    );
    expect(seen.reason).toBe('io server disconnect');
  });
});
