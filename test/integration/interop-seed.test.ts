/**
 * Living with the seed's servers on one Redis. A plain node-redis client plays a seed server
 * (Python or Node): it stores messages its way and speaks the `{serverId, type, data}` envelope on
 * MESSAGES. Its events reach our sockets on every instance under the same privacy rule, ours
 * reach it in the same envelope, and what it stored reads back correctly through our API.
 */
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, RoomSummary, UserPresence } from '../../src/protocol/models.js';
import { SEED_LISTENERS_POLL_MS } from '../../src/server/interop/index.js';
import {
  type Person,
  type Tab,
  listenOnSeedChannel,
  messageIds,
  openTab,
  sent,
  settle,
  signIn,
  startInstances,
  closeAndSettle,
} from '../support/cluster.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { type ServerProcess, startServerProcess } from '../support/server.js';
import { waitFor } from '../support/wait.js';

let redis: TestRedis;
let servers: ServerProcess[];
/** An instance with SEED_BRIDGE=false. */
let isolated: ServerProcess;
const openTabs: Tab[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  [servers, isolated] = await Promise.all([
    startInstances(redis.url, 3),
    startServerProcess(redis.url, { MESSAGES_PER_SECOND: '1000', SEED_BRIDGE: 'false' }),
  ]);
});

afterEach(() => closeAndSettle(redis, openTabs));

afterAll(async () => {
  await Promise.all([...(servers ?? []), isolated].map((server) => server?.stop()));
  await redis?.stop();
});

const server = (i: number) => servers[i] as ServerProcess;

async function tab(username: string, on: ServerProcess, password = 'password123') {
  const person = await signIn(on.url, username, password);
  const opened = await openTab(on, person, `${username}@${on.port}`);
  openTabs.push(opened);
  return { ...person, tab: opened };
}

/** What a seed server does: PUBLISH MESSAGES {serverId, type, data} with its numeric id. */
async function publishAsSeed(type: string, data: unknown, serverId: string | number = 4132) {
  await redis.client.publish('MESSAGES', JSON.stringify({ serverId, type, data }));
}

/** Python's json.dumps: ", " and ": " separators. */
const pythonJson = (record: Record<string, unknown>) =>
  `{${Object.entries(record)
    .map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`)
    .join(', ')}}`;

describe('envelopes from a seed server', () => {
  it("delivers a Python server's General message to every socket once, unescaped, with the id the API gives it", async () => {
    const tabs = [
      (await tab('Pablo', server(0))).tab,
      (await tab('Joe', server(1))).tab,
      (await tab('Mary', server(2))).tab,
    ];
    const bridgeOff = await tab('Alex', isolated);
    // Python: time.time() dates, HTML-escaped text, the author's id as a number, its own JSON.
    const date = Date.now() / 1000 + 0.123;
    const data = { from: 4, date, message: '5 &lt; 6 &amp; &quot;seven&quot;', roomId: '0' };
    await redis.client.zAdd('room:0', { score: Math.floor(date), value: pythonJson(data) });
    await publishAsSeed('message', data);

    const expected = { from: '4', date: Math.floor(date), message: '5 < 6 & "seven"', roomId: '0' };
    for (const t of tabs) {
      await waitFor(`${t.name} to get it`, () =>
        t.received<ChatMessage>('message').some((m) => m.message === expected.message),
      );
    }
    await settle([...tabs, bridgeOff.tab], tabs[0] as Tab);
    const live = tabs.map((t) =>
      t.received<ChatMessage>('message').filter((m) => m.message === expected.message),
    );
    for (const copies of live) expect(copies).toEqual([{ id: expect.any(String), ...expected }]);
    expect(new Set(live.map((copies) => copies[0]?.id)).size).toBe(1);
    // The instance with the bridge off does not take envelopes in.
    expect(bridgeOff.tab.received<ChatMessage>('message').map((m) => m.message)).not.toContain(
      expected.message,
    );

    // The same message through the API has the same id, and catching up from it works.
    const joe = await signIn(server(1).url, 'Joe');
    const page = await joe.http.get<ChatMessage[]>('/room/0/messages?offset=0&size=10');
    const stored = page.body.find((m) => m.message === expected.message);
    expect(stored).toEqual(live[0]?.[0]);
    const after = await joe.http.get<ChatMessage[]>(`/room/0/messages?after=${stored?.id}`);
    expect(after.status).toBe(200);
    expect(after.body.map((m) => m.message)).not.toContain(expected.message);
  });

  it('gives a foreign private room and message only to the sockets of its two members', async () => {
    const mary = await tab('Mary', server(0));
    const alex = await tab('Alex', server(1));
    const alexElsewhere = await openTab(server(2), alex, 'Alex@2');
    openTabs.push(alexElsewhere);
    const others = [(await tab('Pablo', server(0))).tab, (await tab('Joe', server(2))).tab];
    const members = [mary.tab, alex.tab, alexElsewhere];

    // Python's show.room names are lists (hmget answers one); Node's message JSON is compact.
    await publishAsSeed('show.room', { id: '3:4', names: [['Mary'], ['Alex']] });
    const date = Math.floor(Date.now() / 1000);
    const data = { from: '3', date, message: 'only for Alex', roomId: '3:4' };
    await redis.client.zAdd('room:3:4', { score: date, value: JSON.stringify(data) });
    await publishAsSeed('message', data);

    for (const t of members) {
      await waitFor(`${t.name} to get it`, () =>
        t.received<ChatMessage>('message').some((m) => m.message === 'only for Alex'),
      );
    }
    await settle([...members, ...others], others[0] as Tab);
    for (const t of members) {
      expect(t.received<RoomSummary>('show.room')).toEqual([
        { id: '3:4', names: ['Mary', 'Alex'] },
      ]);
      expect(t.received<ChatMessage>('message').filter((m) => m.roomId === '3:4')).toEqual([
        { id: expect.any(String), from: '3', date, message: 'only for Alex', roomId: '3:4' },
      ]);
    }
    for (const t of others) {
      expect(t.received('show.room')).toEqual([]);
      expect(t.received<ChatMessage>('message').some((m) => m.roomId === '3:4')).toBe(false);
    }
  });

  it("passes a foreign server's presence events on to every socket", async () => {
    const tabs = [(await tab('Pablo', server(0))).tab, (await tab('Joe', server(2))).tab];
    await publishAsSeed('user.connected', { id: 42, username: 'Seedling', online: true });
    await publishAsSeed('user.disconnected', { id: '42', username: 'Seedling', online: false });
    for (const t of tabs) {
      await waitFor(`${t.name} to hear both`, () => t.received('user.disconnected').length > 0);
      expect(t.received<UserPresence>('user.connected').filter((u) => u.id === '42')).toEqual([
        { id: '42', username: 'Seedling', online: true },
      ]);
      expect(t.received<UserPresence>('user.disconnected')).toEqual([
        { id: '42', username: 'Seedling', online: false },
      ]);
    }
  });

  it("ignores envelopes of this project's instances, which the adapter already delivered", async () => {
    const tabs = [(await tab('Pablo', server(0))).tab, (await tab('Joe', server(1))).tab];
    const data = { from: '1', date: Date.now() / 1000, message: 'echo of a sibling', roomId: '0' };
    await publishAsSeed('message', data, 'redis-chat-ts:00000000-sibling');
    await publishAsSeed('user.connected', { id: '77', username: 'Echo' }, 'redis-chat-ts:x');
    // A foreign envelope published after them arrives: had ours been taken, they would have too.
    await publishAsSeed('message', { ...data, message: 'foreign marker' });
    for (const t of tabs) {
      await waitFor('the marker', () =>
        t.received<ChatMessage>('message').some((m) => m.message === 'foreign marker'),
      );
      expect(t.received<ChatMessage>('message').map((m) => m.message)).not.toContain(
        'echo of a sibling',
      );
      expect(t.received<UserPresence>('user.connected').map((u) => u.id)).not.toContain('77');
    }
  });
});

describe('our events as seen by a seed server', () => {
  it('publishes every message, room and presence event once, in the seed envelope', async () => {
    const seed = await listenOnSeedChannel(redis.url);
    try {
      const pablo = await tab('Pablo', server(0));
      const newcomer: Person = await signIn(server(1).url, `Nina${Date.now()}`, 'pw-nina');
      const ninaTab = await openTab(server(1), newcomer, 'Nina@1');
      const { id } = newcomer.user;
      const ofType = (type: string, match: (data: Record<string, unknown>) => boolean) =>
        seed.envelopes.filter((e) => e.type === type && match(e.data));

      await waitFor('user.connected', () => ofType('user.connected', (d) => d.id === id).length);
      const roomId = `1:${id}`;
      const secret = await sent(ninaTab, roomId, 'a <b>raw</b> & "plain" text');
      const general = await sent(ninaTab, '0', 'hi all');
      await settle([pablo.tab, ninaTab], ninaTab);
      ninaTab.close();
      await waitFor(
        'user.disconnected',
        () => ofType('user.disconnected', (d) => d.id === id).length,
      );

      const envelopes = [
        ...ofType('user.connected', (d) => d.id === id),
        ...ofType('show.room', (d) => d.id === roomId),
        ...ofType('message', (d) => d.id === secret.id),
        ...ofType('message', (d) => d.id === general.id),
        ...ofType('user.disconnected', (d) => d.id === id),
      ];
      expect(envelopes.map((e) => e.type)).toEqual([
        'user.connected',
        'show.room',
        'message',
        'message',
        'user.disconnected',
      ]);
      for (const envelope of envelopes) expect(envelope.serverId).toMatch(/^redis-chat-ts:/);
      const user = { id, username: newcomer.user.username };
      expect(envelopes.map((e) => e.data)).toEqual([
        { ...user, online: true },
        expect.objectContaining({ id: roomId, names: ['Pablo', newcomer.user.username] }),
        secret,
        general,
        { ...user, online: false },
      ]);
    } finally {
      await seed.close();
    }
  });

  it('publishes nothing from an instance with SEED_BRIDGE=false, whose sockets still get our events', async () => {
    const seed = await listenOnSeedChannel(redis.url);
    try {
      const alex = await tab('Alex', isolated);
      const pablo = await tab('Pablo', server(0));
      const fromIsolated = await sent(alex.tab, '0', 'not for the seed');
      const fromBridged = await sent(pablo.tab, '0', 'for the seed');
      await waitFor('the bridged envelope', () =>
        seed.envelopes.some((e) => e.data.id === fromBridged.id),
      );
      expect(seed.envelopes.some((e) => e.data.id === fromIsolated.id)).toBe(false);
      await waitFor('both sockets to get both', () =>
        [alex.tab, pablo.tab].every((t) =>
          [fromIsolated.id, fromBridged.id].every((msgId) => messageIds(t).includes(msgId)),
        ),
      );
    } finally {
      await seed.close();
    }
  });
});

describe('while no seed server listens', () => {
  it('publishes no envelope at all, and publishes again once one listens', async () => {
    // A pattern subscriber sees every PUBLISH on MESSAGES without counting as a listener (our
    // own instances listen that way).
    const watcher = createClient({ url: redis.url });
    watcher.on('error', () => undefined);
    await watcher.connect();
    const published: string[] = [];
    await watcher.pSubscribe('MESSAGES', (raw) => published.push(raw));
    // An earlier test's seed listener has just gone: the instances learn it at their next count.
    await new Promise((done) => setTimeout(done, SEED_LISTENERS_POLL_MS + 500));
    try {
      const pablo = await tab('Pablo', server(0));
      const unheard = await sent(pablo.tab, '0', 'nobody listens');
      const seed = await listenOnSeedChannel(redis.url);
      try {
        const heard = await sent(pablo.tab, '0', 'a seed server listens');
        await waitFor('its envelope', () => seed.envelopes.some((e) => e.data.id === heard.id));
        // Both left the same instance's connection in order: had the first been published, the
        // watcher would have it by now.
        await waitFor('the watcher to see it', () => published.some((r) => r.includes(heard.id)));
        expect(published.some((raw) => raw.includes(unheard.id))).toBe(false);
      } finally {
        await seed.close();
      }
    } finally {
      await watcher.close();
    }
  });
});

describe('messages stored by the seed servers', () => {
  it('read back through the API as typed, with numeric authors, float and millisecond dates and capitalised keys', async () => {
    const owner = await signIn(server(0).url, `Reader${Date.now()}`, 'pw-reader');
    const other = await signIn(server(0).url, `Writer${Date.now()}`, 'pw-writer');
    const [low, high] = [owner.user.id, other.user.id].sort((a, b) => Number(a) - Number(b));
    const roomId = `${low}:${high}`;
    const base = 1_700_000_000;
    const members = [
      // Python: its json.dumps, escaped text, a numeric author, a float date, an int score.
      {
        score: base,
        raw: pythonJson({
          from: Number(low),
          date: base + 0.75,
          message: 'x &lt; y &amp;&amp; &#x27;z&#x27;',
          roomId,
        }),
      },
      // Node: JSON.stringify, a string author.
      {
        score: base + 10,
        raw: JSON.stringify({ from: high, date: base + 10, message: 'tom &amp; jerry', roomId }),
      },
      // The README's spelling: capitalised keys.
      {
        score: base + 20,
        raw: `{ "From": "${low}", "Date": ${base + 20}, "Message": "Hello", "RoomId": "${roomId}" }`,
      },
      // A port that stored milliseconds.
      {
        score: base + 30,
        raw: JSON.stringify({ from: high, date: (base + 30) * 1000, message: 'ms', roomId }),
      },
    ];
    await redis.client.zAdd(
      `room:${roomId}`,
      members.map(({ score, raw }) => ({ score, value: raw })),
    );

    const page = await owner.http.get<ChatMessage[]>(`/room/${roomId}/messages?offset=0&size=10`);
    expect(page.status).toBe(200);
    const without = page.body.map(({ id: _id, ...rest }) => rest);
    expect(without).toEqual([
      { from: high, date: base + 30, message: 'ms', roomId },
      { from: low, date: base + 20, message: 'Hello', roomId },
      { from: high, date: base + 10, message: 'tom & jerry', roomId },
      { from: low, date: base, message: "x < y && 'z'", roomId },
    ]);
    expect(new Set(page.body.map((m) => m.id)).size).toBe(4);

    // Catching up from a seed message's id, on another instance.
    const oldest = page.body.at(-1) as ChatMessage;
    const reader = await signIn(server(2).url, owner.user.username, 'pw-reader');
    const after = await reader.http.get<ChatMessage[]>(
      `/room/${roomId}/messages?after=${oldest.id}`,
    );
    expect(after.body.map((m) => m.message)).toEqual(['tom & jerry', 'Hello', 'ms']);
  });
});
