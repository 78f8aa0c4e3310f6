/**
 * Three server processes on one Redis through failures: Redis going away and coming back, an
 * instance killed with SIGKILL and restarted, an instance stopped with SIGTERM behind the load
 * balancer. Nothing is lost, every send is answered, presence tells the truth.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, UserPresence } from '../../src/protocol/models.js';
import { type Backend, sessionCookieOf, startBalancer } from '../../scripts/launcher/index.js';
import {
  CLUSTER_ENV,
  type Tab,
  connectionsOf,
  countReconnections,
  fetchAllAfter,
  listenOnSeedChannel,
  messageIds,
  openReconnectingTab,
  openTab,
  restore,
  send,
  sendUntilAccepted,
  sent,
  settle,
  signIn,
  snapshot,
  startInstances,
  startRedisProxy,
  closeAndSettle,
} from '../support/cluster.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { type ServerProcess, startServerProcess } from '../support/server.js';
import { waitFor } from '../support/wait.js';

let redis: TestRedis;
/** The instances reach Redis through it, so that an outage can keep the data. */
let proxy: Awaited<ReturnType<typeof startRedisProxy>>;
let servers: ServerProcess[];
const openTabs: Tab[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  proxy = await startRedisProxy(redis.port);
  servers = await startInstances(proxy.url, 3);
});

afterEach(() => closeAndSettle(redis, openTabs));

afterAll(async () => {
  await Promise.all((servers ?? []).map((server) => server.stop()));
  await proxy?.close();
  await redis?.stop();
});

const server = (i: number) => servers[i] as ServerProcess;
const readiness = async (s: ServerProcess) =>
  (await fetch(`${s.url}/readyz`).catch(() => null))?.status;

/** A tab that does not reconnect (it dies with its instance). */
async function tabFor(username: string, i: number) {
  const person = await signIn(server(i).url, username);
  const tab = await openTab(server(i), person, `${username}@${i}`);
  openTabs.push(tab);
  return { ...person, tab };
}

/** A tab that reconnects by itself, to the same instance, like a browser. */
async function browserTabFor(username: string, i: number) {
  const person = await signIn(server(i).url, username);
  const tab = await openReconnectingTab(server(i).url, person, `${username}@${i}`);
  openTabs.push(tab);
  return { ...person, tab, reconnections: countReconnections(tab) };
}

const presenceOf = (tab: Tab, event: string, userId: string) =>
  tab.received<UserPresence>(event).filter((user) => user.id === userId);

describe('Redis going away and coming back', () => {
  it('answers sends with an error during an outage, reports it on /readyz, and loses nothing', async () => {
    const pablo = await browserTabFor('Pablo', 0);
    const joe = await browserTabFor('Joe', 1);
    const mary = await browserTabFor('Mary', 2);
    const before = await sent(mary.tab, '2:3', 'before Joe leaves');
    await waitFor('Joe to have it', () => messageIds(joe.tab).includes(before.id));
    joe.tab.close();
    const whileAway = await sent(mary.tab, '2:3', 'while Joe is away');

    proxy.cut();
    for (const s of servers) {
      await waitFor('/readyz to report the outage', async () => (await readiness(s)) === 503);
    }
    const outage = await fetch(`${server(0).url}/readyz`);
    expect(await outage.json()).toMatchObject({ code: 'unavailable' });
    const startedAt = Date.now();
    const refused = await Promise.all([
      send(mary.tab, '2:3', 'during the outage'),
      send(pablo.tab, '0', 'during the outage'),
    ]);
    for (const ack of refused) {
      expect(ack).toEqual({
        ok: false,
        error: { code: 'unavailable', message: expect.stringMatching(/unreachable/) },
      });
    }
    expect(Date.now() - startedAt, 'refused at once, not after a timeout').toBeLessThan(1000);
    expect(servers.every((s) => s.running)).toBe(true);

    proxy.heal();
    for (const s of servers) {
      await waitFor('/readyz to recover', async () => (await readiness(s)) === 200);
    }
    // What was published during the outage never reached the sockets: they were made to
    // reconnect, which is when a client catches up.
    await waitFor('the tabs to reconnect', () =>
      [pablo, mary].every((p) => p.reconnections.count > 0),
    );
    const after = await sendUntilAccepted(mary.tab, '2:3', 'after the outage');

    // Joe comes back on another instance and fetches what he missed.
    const back = await openTab(server(0), joe, 'Joe back');
    openTabs.push(back);
    const gap = await fetchAllAfter(joe.http, '2:3', before.id);
    expect(gap.map((m) => m.id)).toEqual([whileAway.id, after.message.id]);
    // Reconnecting was not leaving.
    await settle([pablo.tab, mary.tab], pablo.tab);
    expect(presenceOf(pablo.tab, 'user.disconnected', mary.user.id)).toEqual([]);
    expect(
      await redis.client.smIsMember('online_users', [pablo.user.id, mary.user.id, joe.user.id]),
    ).toEqual([1, 1, 1]);
  });

  it("makes an instance's clients reconnect and catch up after its subscriptions were cut", async () => {
    const pablo = await browserTabFor('Pablo', 0);
    const joe = await browserTabFor('Joe', 1);
    const mary = await browserTabFor('Mary', 2);
    const seen = await sent(joe.tab, '2:3', 'before the gap');
    await waitFor('Mary to have it', () => messageIds(mary.tab).includes(seen.id));

    // Every subscriber connection drops; command connections stay, so sends go on.
    await redis.client.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub']);
    const duringGap = await sent(joe.tab, '2:3', 'while nobody listens');
    await waitFor('Mary to reconnect', () => mary.reconnections.count > 0);

    // Mary does what the web client does after a reconnection.
    const fetched = await fetchAllAfter(mary.http, '2:3', seen.id);
    const known = new Set([...messageIds(mary.tab), ...fetched.map((m) => m.id)]);
    expect(known.has(duringGap.id)).toBe(true);
    const live = await sent(joe.tab, '2:3', 'after the gap');
    await waitFor('live delivery again', () => messageIds(mary.tab).includes(live.id));
    await settle([pablo.tab, joe.tab, mary.tab], pablo.tab);
    for (const person of [joe, mary]) {
      expect(presenceOf(pablo.tab, 'user.disconnected', person.user.id)).toEqual([]);
    }
  });

  it('restores its subscriptions after a Redis restart: adapter, seed bridge and presence work again', async () => {
    const pablo = await browserTabFor('Pablo', 0);
    const joe = await browserTabFor('Joe', 1);
    const mary = await browserTabFor('Mary', 2);
    const people = [pablo, joe, mary];
    const tabs = people.map((p) => p.tab);
    const seed = await listenOnSeedChannel(redis.url);
    try {
      // Redis restarts from what it persisted; presence it does not need to keep.
      proxy.cut();
      const saved = await snapshot(redis);
      await redis.restart();
      await restore(redis, saved);
      expect(await redis.client.exists(['online_users', 'instances'])).toBe(0);
      proxy.heal();

      for (const s of servers) await waitFor('/readyz', async () => (await readiness(s)) === 200);
      await waitFor('the tabs to reconnect', () => people.every((p) => p.reconnections.count > 0));
      // The instances write presence again from their live sockets.
      await waitFor('presence written again', async () => {
        const online = await redis.client.smIsMember(
          'online_users',
          people.map((p) => p.user.id),
        );
        return online.every(Boolean) && (await redis.client.zCard('instances')) === 3;
      });
      // Every subscription is back: the adapter's on each instance, the bridges, our listener.
      await waitFor('subscriptions', async () => {
        const [, adapter] = (await redis.client.sendCommand([
          'PUBSUB',
          'SHARDNUMSUB',
          'socket.io#/#',
        ])) as [string, number];
        // Our bridges listen on MESSAGES with a pattern, which NUMSUB leaves out: they are
        // the clients holding a pattern subscription; the test's own listener is the one plain
        // subscriber.
        const clients = String(await redis.client.sendCommand(['CLIENT', 'LIST']));
        const bridges = clients.split('\n').filter((line) => /\bpsub=[1-9]/.test(line)).length;
        const listeners = (await redis.client.pubSubNumSub('MESSAGES')).MESSAGES;
        return adapter === 3 && bridges === 3 && listeners === 1;
      });

      // The adapter delivers across instances again.
      const general = await sendUntilAccepted(pablo.tab, '0', 'after the restart');
      const secret = await sendUntilAccepted(joe.tab, '2:3', 'still private');
      await settle(tabs, mary.tab);
      for (const tab of tabs) {
        expect(messageIds(tab).filter((id) => id === general.message.id)).toHaveLength(1);
      }
      expect(messageIds(mary.tab)).toContain(secret.message.id);
      expect(messageIds(pablo.tab)).not.toContain(secret.message.id);

      // Our envelopes go out on MESSAGES again, and foreign ones come in.
      await waitFor('our envelope', () =>
        seed.envelopes.some((e) => e.type === 'message' && e.data.id === general.message.id),
      );
      await redis.client.publish(
        'MESSAGES',
        JSON.stringify({
          serverId: 99,
          type: 'message',
          data: { from: 1, date: Date.now() / 1000, message: 'from a seed server', roomId: '0' },
        }),
      );
      for (const tab of tabs) {
        await waitFor(`${tab.name} to get the foreign message`, () =>
          tab.received<ChatMessage>('message').some((m) => m.message === 'from a seed server'),
        );
      }
      // Nobody was seen going offline.
      for (const person of people) {
        expect(presenceOf(pablo.tab, 'user.disconnected', person.user.id)).toEqual([]);
      }
    } finally {
      await seed.close();
    }
  });
});

describe('an instance killed with SIGKILL', () => {
  it('lets a survivor take its users offline within seconds, and welcomes a restarted one', async () => {
    const watcher = await tabFor('Pablo', 0);
    const pabloElsewhere = await openTab(server(2), watcher, 'Pablo@2');
    const alex = await tabFor('Alex', 2);
    openTabs.push(pabloElsewhere);
    await waitFor(
      'Alex online',
      async () => (await redis.client.sIsMember('online_users', alex.user.id)) === 1,
    );
    const port = server(2).port;

    const killedAt = Date.now();
    await server(2).kill();
    await waitFor(
      'user.disconnected for Alex',
      () => presenceOf(watcher.tab, 'user.disconnected', alex.user.id).length > 0,
      30_000,
    );
    // INSTANCE_TIMEOUT_S is 3 here: well within the 30 s promised with the default of 20.
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    expect(await redis.client.sIsMember('online_users', alex.user.id)).toBe(0);
    expect(await redis.client.sIsMember('online_users', watcher.user.id)).toBe(1);
    expect(await connectionsOf(redis, alex.user.id)).toEqual([]);
    expect(await connectionsOf(redis, watcher.user.id)).toHaveLength(1);
    expect(await redis.client.zCard('instances')).toBe(2);
    expect(presenceOf(watcher.tab, 'user.disconnected', watcher.user.id)).toEqual([]);
    const online = await watcher.http.get<Record<string, UserPresence>>('/users/online');
    expect(Object.keys(online.body)).not.toContain(alex.user.id);

    // The instance comes back on its port; Alex reconnects to it.
    servers[2] = await startServerProcess(proxy.url, { ...CLUSTER_ENV, PORT: String(port) });
    const alexBack = await openTab(server(2), alex, 'Alex back');
    openTabs.push(alexBack);
    await waitFor(
      'user.connected for Alex',
      () => presenceOf(watcher.tab, 'user.connected', alex.user.id).length > 0,
    );
    const hello = await sent(alexBack, '1:4', 'back again');
    await waitFor('Pablo to get it', () => messageIds(watcher.tab).includes(hello.id));
    expect(await redis.client.zCard('instances')).toBe(3);
  });
});

describe('an instance stopped with SIGTERM behind the load balancer', () => {
  it('moves its clients to the other instances with nothing lost or doubled and no presence flicker', async () => {
    const routes = new Map<string, number>();
    const backends: Backend[] = servers.map((s) => ({ host: '127.0.0.1', port: s.port }));
    const balancer = await startBalancer({
      kind: 'node',
      port: 0,
      backends,
      onRoute: (key, backend) => routes.set(key, backend.port),
    });
    let victim: ServerProcess | undefined;
    try {
      const mary = await signIn(balancer.url, 'Mary');
      const joe = await signIn(balancer.url, 'Joe');
      const maryTab = await openReconnectingTab(balancer.url, mary, 'Mary via LB');
      const joeTab = await openReconnectingTab(balancer.url, joe, 'Joe via LB');
      openTabs.push(maryTab, joeTab);
      const victimPort = routes.get(sessionCookieOf(mary.http.cookie) ?? '');
      victim = servers.find((s) => s.port === victimPort) as ServerProcess;
      const stays = servers.find((s) => s !== victim) as ServerProcess;
      const watcher = await openTab(stays, await signIn(stays.url, 'Alex'), 'Alex watching');
      openTabs.push(watcher);
      let moved = false;
      maryTab.socket.io.once('reconnect', () => (moved = true));

      const before = await sent(joeTab, '2:3', 'before the stop');
      await waitFor('Mary to have it', () => messageIds(maryTab).includes(before.id));

      // Mary keeps several sends in flight as it stops: some are answered before her connection
      // closes, some fail and are sent again. An answered one must not be lost, a failed one
      // must not have been stored.
      const stopped = victim.stop();
      const texts: string[] = [];
      const maryLanes = Array.from({ length: 8 }, async (_, lane) => {
        for (let n = 0; !moved || n < 2; n++) {
          const text = `Mary ${lane}.${n}`;
          texts.push(text);
          await sendUntilAccepted(maryTab, '2:3', text);
        }
      });
      const fromMary = Promise.all(maryLanes);
      // Joe, on whichever instance, keeps writing too.
      const deadline = Date.now() + 15_000;
      for (let n = 0; (!moved || n < 5) && Date.now() < deadline; n++) {
        const text = `Joe ${n}`;
        texts.push(text);
        await sendUntilAccepted(joeTab, '2:3', text);
        await sleep(20); // a steady stream, not a burst
      }
      await fromMary;
      expect(moved, 'Mary reconnected').toBe(true);
      expect(await stopped).toBe(0);
      expect(victim.output()).toMatch(/chat server stopped/);

      // Mary is on another instance now; she fetches what she may have missed.
      expect(routes.get(sessionCookieOf(mary.http.cookie) ?? '')).not.toBe(victimPort);
      const gap = await fetchAllAfter(mary.http, '2:3', before.id);
      // Every message stored once (a failed send had not been stored), none missing, in order.
      const stored = gap.map((m) => m.message);
      expect([...stored].sort()).toEqual([...texts].sort());
      expect(stored.filter((text) => text.startsWith('Joe'))).toEqual(
        texts.filter((text) => text.startsWith('Joe')),
      );
      const fetched = gap.map((m) => m.id);
      const known = new Set([...fetched, ...messageIds(maryTab)]);
      expect(fetched.every((id) => known.has(id))).toBe(true);

      // Moving was not leaving: nobody saw Mary or Joe go offline.
      await settle([watcher], watcher);
      expect(presenceOf(watcher, 'user.disconnected', mary.user.id)).toEqual([]);
      expect(presenceOf(watcher, 'user.disconnected', joe.user.id)).toEqual([]);
      expect(await redis.client.sIsMember('online_users', mary.user.id)).toBe(1);
      expect(await redis.client.zCard('instances')).toBe(2);
    } finally {
      await balancer.close();
      // Back to three instances for whatever runs next.
      if (victim && !victim.running) {
        servers[servers.indexOf(victim)] = await startServerProcess(proxy.url, {
          ...CLUSTER_ENV,
          PORT: String(victim.port),
        });
      }
    }
  });
});
