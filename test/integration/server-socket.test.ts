/**
 * Socket.IO on one instance with real clients: the seed client's whole flow, identity and privacy
 * rules, message storage guarantees, refusals as error acks, presence, and the seed's SSE stream.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SEED_LISTENERS_POLL_MS } from '../../src/server/interop/index.js';
import { ADAPTER_PEERS_POLL_MS } from '../../src/server/kernel/realtime/redis-adapter.js';
import type { AckResponse } from '../../src/protocol/events.js';
import type { ChatMessage, RoomSummary, UserPresence } from '../../src/protocol/index.js';
import { type ChatClientSocket, HttpClient, collect, connectSocket } from '../support/clients.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { type InProcessServer, startInProcessServer } from '../support/server.js';
import { waitFor } from '../support/wait.js';

let redis: TestRedis;
let server: InProcessServer;
const openSockets: ChatClientSocket[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startInProcessServer(redis.url, { MESSAGES_PER_SECOND: '1000' });
});

afterEach(() => {
  for (const socket of openSockets.splice(0)) socket.close();
});

afterAll(async () => {
  await server?.stop();
  await redis?.stop();
});

async function signedIn(username: string, password = 'password123') {
  const http = new HttpClient(server.url);
  const user = await http.login(username, password);
  const socket = await connectSocket(server.url, http.cookie);
  openSockets.push(socket);
  return { http, user, socket };
}

type MessageAck = AckResponse<{ message: ChatMessage }>;

function send(socket: ChatClientSocket, payload: unknown): Promise<MessageAck> {
  return socket.timeout(5000).emitWithAck('message', payload as never) as Promise<MessageAck>;
}

async function sent(
  socket: ChatClientSocket,
  roomId: string,
  message: string,
): Promise<ChatMessage> {
  const ack = await send(socket, { roomId, message });
  if (!ack.ok) throw new Error(`send refused: ${ack.error.message}`);
  return ack.message;
}

/** The handshake's long-poll, refused by Engine.IO before a connection exists: status and body. */
async function pollHandshake(cookie: string) {
  const response = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, {
    headers: { cookie },
  });
  return { status: response.status, body: await response.text() };
}

describe('the handshake, refused before a connection exists', () => {
  it('refuses a socket without a session, naming why', async () => {
    expect(await connectSocket(server.url, '').catch((e: unknown) => e)).toBeInstanceOf(Error);
    const poll = await pollHandshake('');
    expect(poll.status).toBe(403);
    expect(poll.body).toContain('sign in first: no session cookie was sent');
  });

  it('refuses a socket whose session was signed out', async () => {
    const http = new HttpClient(server.url);
    await http.login('Joe');
    const cookie = http.cookie;
    const before = await connectSocket(server.url, cookie);
    expect(before.connected).toBe(true);
    await http.post('/logout');
    before.close();
    expect(await connectSocket(server.url, cookie).catch((e: unknown) => e)).toBeInstanceOf(Error);
    const poll = await pollHandshake(cookie);
    expect(poll.status).toBe(403);
    expect(poll.body).toContain('sign in first: the session has expired or was signed out');
  });

  it('refuses a forged cookie', async () => {
    const forged = 'chat.sid=forged.signature';
    expect(await connectSocket(server.url, forged).catch((e: unknown) => e)).toBeInstanceOf(Error);
    expect((await pollHandshake(forged)).status).toBe(403);
  });
});

describe("the seed client's flow", () => {
  it('signs in, lists rooms, reads General, chats live and privately, signs out', async () => {
    const pablo = await signedIn('Pablo');
    const joe = await signedIn('Joe');
    const mary = await signedIn('Mary');
    const alex = await signedIn('Alex');

    const rooms = (await pablo.http.get<RoomSummary[]>(`/rooms/${pablo.user.id}`)).body;
    expect(rooms.map((room) => room.id).sort()).toEqual(['0', '1:2', '1:3', '1:4']);
    const general = (await pablo.http.get<ChatMessage[]>('/room/0/messages?offset=0&size=15')).body;
    expect(general.length).toBeGreaterThanOrEqual(5);

    const joeReceived = collect(joe.socket, 'message');
    const hello = await sent(pablo.socket, '0', 'Hi everyone');
    await waitFor('Joe to get the General message', () =>
      joeReceived.find((m) => m.id === hello.id),
    );
    expect(joeReceived.find((m) => m.id === hello.id)).toEqual(hello);

    // A private room with a user Pablo never talked to: a newcomer.
    const newcomer = await signedIn('Nina', 'pw-nina');
    const opened = await pablo.http.post<RoomSummary>('/room', {
      user1: pablo.user.id,
      user2: newcomer.user.id,
    });
    expect(opened.status).toBe(201);
    const roomId = opened.body.id;
    const newcomerRooms = collect(newcomer.socket, 'show.room');
    const newcomerMessages = collect(newcomer.socket, 'message');
    const others = [joe, mary, alex].map((peer) => ({
      rooms: collect(peer.socket, 'show.room'),
      messages: collect(peer.socket, 'message'),
    }));
    const privateMessage = await sent(pablo.socket, roomId, 'Just between us');
    await waitFor('the newcomer to get the private message', () =>
      newcomerMessages.some((m) => m.id === privateMessage.id),
    );
    expect(newcomerRooms).toEqual([{ id: roomId, names: ['Pablo', 'Nina'], kind: 'direct' }]);

    // A General message sent after the private one arrives everywhere: when it has, the private
    // one would have too, had it leaked.
    const marker = await sent(mary.socket, '0', 'marker');
    for (const other of others) {
      await waitFor('the marker', () => other.messages.some((m) => m.id === marker.id));
      expect(other.messages.some((m) => m.roomId === roomId)).toBe(false);
      expect(other.rooms).toEqual([]);
    }

    expect((await pablo.http.post('/logout')).status).toBe(204);
    expect((await pablo.http.get('/me')).body).toBeNull();
  });
});

/**
 * What the in-process server writes to the TCP connections it accepts from now on: one entry per
 * write system call (a net.Socket's _write or _writev), its bytes as text and which connection.
 */
function recordServerWrites() {
  const writes: { connection: number; text: string }[] = [];
  let connections = 0;
  type Chunk = { chunk: Buffer | string };
  const onSocket = (event: unknown) => {
    const socket = (event as { socket: Socket }).socket as Socket & {
      _write(chunk: Buffer | string, encoding: string, done: () => void): void;
      _writev(chunks: Chunk[], done: () => void): void;
    };
    const { _write: write, _writev: writev } = socket;
    const connection = ++connections;
    socket._write = function (chunk, encoding, done) {
      writes.push({ connection, text: String(chunk) });
      write.call(this, chunk, encoding, done);
    };
    socket._writev = function (chunks, done) {
      writes.push({ connection, text: chunks.map(({ chunk }) => String(chunk)).join('') });
      writev.call(this, chunks, done);
    };
  };
  subscribe('net.server.socket', onSocket);
  /** The writes carrying `tag` to the connection that got `tag`'s ack, in order. */
  const toSender = (tag: string) => {
    const carrying = writes.filter(({ text }) => text.includes(tag));
    const ack = carrying.find(({ text }) => /43\d+\[\{"ok":true/.test(text));
    return carrying.filter(({ connection }) => connection === ack?.connection).map((w) => w.text);
  };
  return { writes, toSender, stop: () => unsubscribe('net.server.socket', onSocket) };
}

describe('messages', () => {
  it("takes the author from the session and the date from the server's clock", async () => {
    const { socket, user } = await signedIn('Alex');
    const before = Math.floor(Date.now() / 1000);
    const ack = await send(socket, { roomId: '0', message: 'who am I?', from: '2', date: 1 });
    expect(ack.ok).toBe(true);
    if (!ack.ok) return;
    expect(ack.message.from).toBe(user.id);
    expect(ack.message.date).toBeGreaterThanOrEqual(before);
    expect(ack.message.date).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    const stored = JSON.parse(
      (await redis.client.zRange('room:0', -1, -1))[0] ?? '{}',
    ) as ChatMessage;
    expect(stored).toEqual(ack.message);
  });

  it('stores identical messages sent in the same second, in send order, text as typed', async () => {
    const { socket, http } = await signedIn('Joe');
    const texts = Array.from({ length: 30 }, (_, i) =>
      i % 2 ? 'same <b>text</b> & "quotes"' : `n${i}`,
    );
    const acks = await Promise.all(
      texts.map((message) => send(socket, { roomId: '2:3', message })),
    );
    expect(acks.every((ack) => ack.ok)).toBe(true);
    const page = (
      await http.get<ChatMessage[]>('/room/2:3/messages?offset=0&size=30')
    ).body.reverse();
    expect(page.map((m) => m.message)).toEqual(texts);
    expect(new Set(page.map((m) => m.id)).size).toBe(30);
    const raw = await redis.client.zRange('room:2:3', -1, -1);
    expect(raw[0]).toContain('same <b>text</b> & \\"quotes\\"');
  });

  it("writes a message's ack and its echo to the sender in one write, the partner's copy in one", async () => {
    const recorder = recordServerWrites();
    try {
      const joe = await signedIn('Joe');
      const mary = await signedIn('Mary');
      const room = (
        await joe.http.post<RoomSummary>('/room', { user1: joe.user.id, user2: mary.user.id })
      ).body;
      const maryGot = collect(mary.socket, 'message');
      const joeGot = collect(joe.socket, 'message');
      await sent(joe.socket, room.id, 'warm-up'); // the room shown, its channels followed
      const tag = `one write ${Date.now()}`;
      const message = await sent(joe.socket, room.id, tag);
      // Once both sockets got the echo, every write carrying the message has happened.
      await waitFor('both echoes', () =>
        [joeGot, maryGot].every((got) => got.some((m) => m.id === message.id)),
      );
      // Joe's socket: the echo (a 'message' event) and the ack (an ack packet, 43<id>[...]).
      // Engine.IO used to hand the ack over only once the echo's write had completed: two writes.
      const toJoe = recorder.toSender(tag);
      expect(toJoe).toHaveLength(1);
      expect(toJoe[0]).toMatch(/42\["message".*43\d+\[\{"ok":true/s);
      // Mary's socket: the message alone, once.
      const carrying = recorder.writes.filter(({ text }) => text.includes(tag));
      expect(carrying).toHaveLength(2);
    } finally {
      recorder.stop();
    }
  });

  it('writes the ack and the echo in one write after an upgrade from long-polling too', async () => {
    const recorder = recordServerWrites();
    try {
      const http = new HttpClient(server.url);
      await http.login('Pablo');
      const socket = await connectSocket(server.url, http.cookie, {
        transports: ['polling', 'websocket'],
      });
      openSockets.push(socket);
      await waitFor('the upgrade', () => socket.io.engine.transport.name === 'websocket');
      const got = collect(socket, 'message');
      const tag = `upgraded ${Date.now()}`;
      const message = await sent(socket, '0', tag);
      await waitFor('the echo', () => got.some((m) => m.id === message.id));
      const toPablo = recorder.toSender(tag);
      expect(toPablo).toHaveLength(1);
      expect(toPablo[0]).toMatch(/42\["message".*43\d+\[\{"ok":true/s);
    } finally {
      recorder.stop();
    }
  });

  it('delivers an event sent right after connecting', async () => {
    const http = new HttpClient(server.url);
    await http.login('Mary');
    const socket: ChatClientSocket = io(server.url, {
      extraHeaders: { cookie: http.cookie },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    openSockets.push(socket);
    // Emitted before the connection is even open: buffered by the client, sent first thing.
    const ack = await send(socket, { roomId: '0', message: 'first thing' });
    expect(ack).toMatchObject({ ok: true, message: { message: 'first thing' } });
  });

  it('also works over HTTP long-polling', async () => {
    const http = new HttpClient(server.url);
    await http.login('Mary');
    const socket = await connectSocket(server.url, http.cookie, { transports: ['polling'] });
    openSockets.push(socket);
    expect((await send(socket, { roomId: '0', message: 'polling' })).ok).toBe(true);
  });

  it('publishes each message for the seed servers on MESSAGES', async () => {
    const subscriber = redis.client.duplicate();
    subscriber.on('error', () => undefined);
    await subscriber.connect();
    const envelopes: { serverId: unknown; type: string; data: ChatMessage }[] = [];
    await subscriber.subscribe('MESSAGES', (raw) => envelopes.push(JSON.parse(raw)));
    // The server publishes only while someone listens, counted once per SEED_LISTENERS_POLL_MS.
    await new Promise((done) => setTimeout(done, SEED_LISTENERS_POLL_MS + 500));
    try {
      const { socket } = await signedIn('Alex');
      const message = await sent(socket, '0', 'for the seed');
      const envelope = await waitFor('the envelope', () =>
        envelopes.find((e) => e.type === 'message' && e.data.id === message.id),
      );
      expect(envelope.serverId).toBe(server.serverId);
      expect(envelope.data).toEqual(message);
    } finally {
      await subscriber.close();
    }
  });
});

describe('refusals as error acks', () => {
  it.each([
    [{ roomId: '0', message: '' }, 'bad_request', /message must not be empty/],
    [{ roomId: '0', message: '   ' }, 'bad_request', /message must not be empty/],
    [{ roomId: '0', message: 'x'.repeat(4001) }, 'bad_request', /at most 4000 characters/],
    [{ message: 'no room' }, 'bad_request', /roomId/],
    [{ roomId: 0, message: 'number room' }, 'bad_request', /roomId must be a string/],
    [{ roomId: '0', message: 42 }, 'bad_request', /message must be a string/],
    ['just a string', 'bad_request', /payload must be an object/],
    [{ roomId: '../x', message: 'hi' }, 'bad_request', /roomId is not a valid room id/],
    [{ roomId: '55', message: 'hi' }, 'not_found', /room 55 does not exist/],
    [{ roomId: '1:999', message: 'hi' }, 'forbidden', /private room of other users/],
    [{ roomId: '2:999', message: 'hi' }, 'not_found', /does not exist/],
    [{ roomId: '1:3', message: 'snooping' }, 'forbidden', /private room of other users/],
  ])('refuses %j with %s', async (payload, code, message) => {
    const { socket } = await signedIn('Joe');
    const ack = await send(socket, payload);
    expect(ack).toEqual({ ok: false, error: { code, message: expect.stringMatching(message) } });
    // The connection keeps working after a refusal.
    expect((await send(socket, { roomId: '0', message: 'still here' })).ok).toBe(true);
  });

  it("refuses to join another pair's private room", async () => {
    const { socket } = await signedIn('Joe');
    const refused = await socket.timeout(5000).emitWithAck('room.join', '1:3');
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await socket.timeout(5000).emitWithAck('room.join', '2:3')).toEqual({ ok: true });
  });

  it('limits sending per user across connections', async () => {
    const limited = await startInProcessServer(redis.url, {
      MESSAGES_PER_SECOND: '5',
      DEMO_DATA: 'false',
    });
    try {
      const http = new HttpClient(limited.url);
      const mary = await http.login('Mary');
      const tabs = await Promise.all([1, 2].map(() => connectSocket(limited.url, http.cookie)));
      openSockets.push(...tabs);
      const acks = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          send(tabs[i % 2] as ChatClientSocket, { roomId: '0', message: `burst ${i}` }),
        ),
      );
      const refused = acks.filter((ack) => !ack.ok);
      expect(acks.filter((ack) => ack.ok).length).toBeLessThanOrEqual(5);
      expect(refused.length).toBeGreaterThanOrEqual(7);
      expect(refused[0]).toMatchObject({
        ok: false,
        error: { code: 'rate_limited', message: expect.stringMatching(/too fast/) },
      });
      // A refused send stores nothing; the counter's window expires on its own.
      const stored = await redis.client.zRange('room:0', 0, -1);
      expect(stored.filter((raw) => raw.includes('"burst ')).length).toBe(
        acks.filter((ack) => ack.ok).length,
      );
      const windowMs = await redis.client.pTTL(`ratelimit:message:${mary.id}`);
      expect(windowMs).toBeGreaterThan(0);
      expect(windowMs).toBeLessThanOrEqual(1000);
    } finally {
      await limited.stop();
    }
  });

  it('holds the limit across instances within one send per other instance, storing no refused send', async () => {
    const [a, b] = await Promise.all(
      [1, 2].map(() =>
        startInProcessServer(redis.url, {
          MESSAGES_PER_SECOND: '3',
          DEMO_DATA: 'false',
        }),
      ),
    );
    try {
      const http = new HttpClient(a!.url);
      const lena = await http.login('Lena');
      const tabs = [
        await connectSocket(a!.url, http.cookie),
        await connectSocket(b!.url, http.cookie),
      ];
      openSockets.push(...tabs);
      // A window of a minute, so that a slow machine cannot see two windows in this test.
      const counter = `ratelimit:message:${lena.id}`;
      await redis.client.set(counter, '0', { PX: 60_000 });
      const acks: MessageAck[] = [];
      for (let i = 0; i < 8; i++) {
        // One at a time, alternating: each instance admits on its view of the counter, which
        // misses the other's latest send.
        acks.push(
          await send(tabs[i % 2] as ChatClientSocket, { roomId: '0', message: `alt ${i}` }),
        );
      }
      const admitted = acks.filter((ack) => ack.ok).length;
      expect(admitted).toBeGreaterThanOrEqual(3);
      expect(admitted).toBeLessThanOrEqual(3 + 1);
      // Once each instance has seen the counter at the limit, it waits for the count: refused.
      expect(acks.slice(admitted).every((ack) => !ack.ok)).toBe(true);
      expect(Number(await redis.client.get(counter))).toBe(8);
      const stored = await redis.client.zRange('room:0', 0, -1);
      expect(stored.filter((raw) => raw.includes('"alt ')).length).toBe(admitted);
    } finally {
      await Promise.all([a?.stop(), b?.stop()]);
    }
  });

  it('counts, stores and indexes a send in one round trip: Redis reads it all in one read', async () => {
    const { socket } = await signedIn('Joe');
    await sent(socket, '0', 'warm-up'); // scripts loaded, the room checked
    // Instances of the tests before may just have stopped: this one notices it is alone again
    // (and stops publishing relays) at its next count of the adapter's listeners.
    await sleep(2 * ADAPTER_PEERS_POLL_MS);
    const readsSoFar = async () =>
      Number(/total_reads_processed:(\d+)/.exec(await redis.client.info('stats'))?.[1]);
    const before = await readsSoFar();
    const started = performance.now();
    const count = 30;
    for (let i = 0; i < count; i++) await sent(socket, '0', `one trip ${i}`);
    const reads = (await readsSoFar()) - before;
    // What Redis reads meanwhile anyway (the instances' once-a-second polls, heartbeats, this
    // INFO), counted over as long a quiet spell, so that a slow machine does not pass for more
    // round trips per message.
    const quietFrom = await readsSoFar();
    await sleep(performance.now() - started);
    const background = (await readsSoFar()) - quietFrom;
    // Each message: the count, the store, the read marker and the search index in one write.
    // It was three sequential round trips (count; store; index), then two (count and store;
    // index); a lone instance publishes no relay.
    expect(reads - background).toBeLessThan(count * 1.5);
  });

  it('indexes a message for search in one command, however many words it has', async () => {
    const { socket, http } = await signedIn('Joe');
    await sent(socket, '0', 'warm-up'); // scripts loaded
    const calls = async (command: string) =>
      Number(
        new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(
          await redis.client.info('commandstats'),
        )?.[1] ?? 0,
      );
    const words = Array.from({ length: 40 }, (_, i) => `word${i}x`);
    const multiBefore = await calls('multi');
    const count = 10;
    for (let i = 0; i < count; i++) await sent(socket, '0', `${words.join(' ')} n${i}`);
    // The store's MULTI, one per send (and maybe one of a disconnection of the tests before);
    // the index was a MULTI of one ZADD per word too: 42 commands per send here, 2 MULTIs.
    expect((await calls('multi')) - multiBefore).toBeLessThan(count * 1.5);
    const found = await http.get<{ hits: unknown[] }>('/search?q=word39x%20n7');
    expect(found.body.hits).toHaveLength(1);
  });
});

describe('the message.batch extension', () => {
  it('gives an opted-in socket General messages as batches, and an edit only after its message', async () => {
    const http = new HttpClient(server.url);
    await http.login('Alex');
    const batched: ChatClientSocket = io(server.url, {
      extraHeaders: { cookie: http.cookie },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      auth: { messageBatch: true },
    });
    openSockets.push(batched);
    await new Promise((done, fail) => {
      batched.once('connect', () => done(undefined));
      batched.once('connect_error', fail);
    });
    const events: string[] = [];
    batched.on('message', (message) => events.push(`message ${message.id}`));
    batched.on('message.batch', (messages) => {
      for (const message of messages) events.push(`batch ${message.id}`);
    });
    batched.on('message.updated', (message) => events.push(`updated ${message.id}`));

    const { socket: joe } = await signedIn('Joe');
    const posted = await sent(joe, '0', 'edited within the batch window');
    // Well within the 10 ms batch window: the update must not overtake the message.
    const edit = await joe
      .timeout(5000)
      .emitWithAck('message.edit', { roomId: '0', id: posted.id, message: 'edited' });
    expect(edit).toMatchObject({ ok: true });
    await waitFor('the update', () => events.includes(`updated ${posted.id}`));
    expect(events.filter((event) => event.endsWith(posted.id))).toEqual([
      `batch ${posted.id}`,
      `updated ${posted.id}`,
    ]);
  });
});

describe('presence', () => {
  it('announces the first connection and the last disconnection only', async () => {
    const watcher = await signedIn('Pablo');
    const connected = collect(watcher.socket, 'user.connected');
    const disconnected = collect(watcher.socket, 'user.disconnected');

    const http = new HttpClient(server.url);
    const alex = await http.login('Alex');
    const tab1 = await connectSocket(server.url, http.cookie);
    await waitFor('user.connected', () => connected.some((u) => u.id === alex.id));
    const tab2 = await connectSocket(server.url, http.cookie);
    expect(await redis.client.sIsMember('online_users', alex.id)).toBe(1);

    tab1.close();
    await waitFor(
      'the closed tab to be forgotten',
      async () => (await redis.client.zCard(`user:${alex.id}:connections`)) === 1,
    );
    expect(await redis.client.sIsMember('online_users', alex.id)).toBe(1);
    const online = (await watcher.http.get<Record<string, UserPresence>>('/users/online')).body;
    expect(online[alex.id]).toEqual({ id: alex.id, username: 'Alex', online: true });

    tab2.close();
    await waitFor('user.disconnected', () => disconnected.some((u) => u.id === alex.id));
    expect(await redis.client.sIsMember('online_users', alex.id)).toBe(0);
    expect(connected.filter((u) => u.id === alex.id)).toEqual([
      { id: alex.id, username: 'Alex', online: true },
    ]);
    expect(disconnected.filter((u) => u.id === alex.id)).toEqual([
      { id: alex.id, username: 'Alex', online: false },
    ]);
  });
});

describe('the seed client’s event stream', () => {
  /** Reads server-sent events from GET /stream into a list. */
  async function openStream(cookie: string) {
    const controller = new AbortController();
    const response = await fetch(`${server.url}/stream`, {
      headers: { cookie },
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events: { type: string; data: { id?: string; roomId?: string } }[] = [];
    const reader = response.body?.getReader();
    let buffer = '';
    void (async () => {
      for (;;) {
        const chunk = await reader?.read().catch(() => undefined);
        if (!chunk || chunk.done) return;
        buffer += new TextDecoder().decode(chunk.value);
        const parts = buffer.split('\n\n');
        buffer = parts.pop() ?? '';
        for (const part of parts)
          if (part.startsWith('data: ')) events.push(JSON.parse(part.slice(6)));
      }
    })();
    return { events, close: () => controller.abort() };
  }

  it('streams what the user may see while no socket of the session is open, never twice', async () => {
    const http = new HttpClient(server.url);
    await http.login('Mary');
    const stream = await openStream(http.cookie);
    try {
      const sender = await signedIn('Joe');
      const general = await sent(sender.socket, '0', 'to the stream');
      const secret = await sent(sender.socket, '2:4', 'not for Mary');
      const direct = await sent(sender.socket, '2:3', 'for Mary');
      await waitFor('the stream to carry the private message', () =>
        stream.events.some((e) => e.data.id === direct.id),
      );
      expect(stream.events.some((e) => e.data.id === general.id)).toBe(true);
      expect(stream.events.some((e) => e.data.id === secret.id)).toBe(false);

      // With a socket open, that socket gets the events and the stream stays quiet.
      const socket = await connectSocket(server.url, http.cookie);
      openSockets.push(socket);
      const viaSocket = collect(socket, 'message');
      const next = await sent(sender.socket, '0', 'socket only');
      await waitFor('the socket to get it', () => viaSocket.some((m) => m.id === next.id));
      const marker = await signedIn('Alex');
      await sent(marker.socket, '0', 'after');
      expect(stream.events.filter((e) => e.data.id === next.id)).toEqual([]);
    } finally {
      stream.close();
    }
  });
});
