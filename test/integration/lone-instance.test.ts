/**
 * An instance alone on its Redis publishes nothing on the Socket.IO adapter's channel (it would
 * only read it back itself); one that starts beside it is heard of before it serves anybody, and
 * one that stops is noticed within a poll. One whose subscriber comes back after a gap is heard
 * of again before its clients catch up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTER_PEERS_POLL_MS } from '../../src/server/kernel/realtime/redis-adapter.js';
import { type ChatClientSocket, HttpClient, collect, connectSocket } from '../support/clients.js';
import {
  countReconnections,
  messageIds,
  openReconnectingTab,
  sent,
  signIn,
  startRedisProxy,
} from '../support/cluster.js';
import { scrape, sumOf } from '../support/metrics.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { type InProcessServer, startInProcessServer } from '../support/server.js';
import { waitFor } from '../support/wait.js';

const TOKEN = 'lone-instance-metrics';
const ENV = { MESSAGES_PER_SECOND: '1000', DEMO_DATA: 'false', METRICS_TOKEN: TOKEN };
/** Longer than the relay window (5 ms): a relay due by then has been published. */
const RELAY_SETTLE_MS = 100;

let redis: TestRedis;
let a: InProcessServer;
const sockets: ChatClientSocket[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  a = await startInProcessServer(redis.url, ENV);
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await a?.stop();
  await redis?.stop();
});

async function signedIn(server: InProcessServer, username: string) {
  const http = new HttpClient(server.url);
  await http.login(username);
  const socket = await connectSocket(server.url, http.cookie);
  sockets.push(socket);
  return socket;
}

/** SPUBLISH calls Redis counted since the last call (the adapter's and the hello's). */
async function publishesSince(): Promise<number> {
  const stats = await redis.client.info('commandstats');
  await redis.client.configResetStat();
  return Number(/cmdstat_spublish:calls=(\d+)/.exec(stats)?.[1] ?? 0);
}

/** Relays this instance has sent (its metrics): none while it is alone. */
async function relaysSent(server: InProcessServer): Promise<number> {
  return sumOf(await scrape(server.url, TOKEN), 'chat_relay_batches_total', { direction: 'sent' });
}

async function post(socket: ChatClientSocket, message: string) {
  const ack = await socket.timeout(5000).emitWithAck('message', { roomId: '0', message });
  expect(ack).toMatchObject({ ok: true });
  await new Promise((done) => setTimeout(done, RELAY_SETTLE_MS));
}

describe('the Socket.IO adapter', () => {
  it('publishes nothing while alone, for every instance once another starts, and nothing once it stopped', async () => {
    const joe = await signedIn(a, 'Joe');
    await publishesSince();
    for (let i = 0; i < 5; i++) await post(joe, `alone ${i}`);
    expect(await publishesSince()).toBe(0);
    expect(await relaysSent(a)).toBe(0);

    const b = await startInProcessServer(redis.url, ENV);
    try {
      // Served by b only once a has answered its hello: the first message reaches it.
      const pablo = await signedIn(b, 'Pablo');
      const received = collect(pablo, 'message');
      await post(joe, 'not alone');
      await waitFor('Pablo to get it through the relay', () =>
        received.some((m) => m.message === 'not alone'),
      );
      expect(await publishesSince()).toBeGreaterThan(0);
      expect(await relaysSent(a)).toBeGreaterThan(0);
      pablo.close();
    } finally {
      await b.stop();
    }
    await waitFor(
      'a to notice that it is alone again',
      async () => {
        await publishesSince();
        await post(joe, 'alone again');
        return (await publishesSince()) === 0;
      },
      10 * ADAPTER_PEERS_POLL_MS,
    );
  });
});

describe('an instance whose subscriber lost Redis for a while', () => {
  it('is heard of again before its clients catch up: what is sent right after reaches them live', async () => {
    const joe = await signedIn(a, 'Joe');
    // b reaches Redis through a proxy that can cut it off alone.
    const proxy = await startRedisProxy(redis.port);
    const b = await startInProcessServer(proxy.url, ENV);
    const mary = await signIn(b.url, 'Mary');
    const tab = await openReconnectingTab(b.url, mary, 'Mary@b');
    try {
      const reconnections = countReconnections(tab);
      await sent(tab, '0', 'before the cut');

      proxy.cut();
      // a counts b out (b's subscription is gone) and stops publishing.
      await waitFor(
        'a to believe it is alone',
        async () => {
          await publishesSince();
          await post(joe, 'while b is cut off');
          return (await publishesSince()) === 0;
        },
        10 * ADAPTER_PEERS_POLL_MS,
      );
      proxy.heal();
      // b subscribes again and makes Mary reconnect, and she catches up (GET ?after=)...
      await waitFor('Mary to reconnect', () => reconnections.count > 0);
      // ...so what Joe sends now must reach her live: a must already publish again, without
      // waiting for its next count of the subscribers.
      const ack = await joe.timeout(5000).emitWithAck('message', {
        roomId: '0',
        message: 'right after the gap',
      });
      if (!ack.ok) throw new Error(`send refused: ${ack.error.code}`);
      await waitFor(
        'Mary to get it live',
        () => messageIds(tab).includes(ack.message.id),
        2 * ADAPTER_PEERS_POLL_MS,
      );
    } finally {
      tab.close();
      await b.stop();
      await proxy.close();
    }
  });
});
