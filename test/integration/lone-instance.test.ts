/**
 * An instance alone on its Redis publishes nothing on the Socket.IO adapter's channel (it would
 * only read it back itself); one that starts beside it is heard of before it serves anybody, and
 * one that stops is noticed within a poll.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTER_PEERS_POLL_MS } from '../../src/server/kernel/realtime/redis-adapter.js';
import { type ChatClientSocket, HttpClient, collect, connectSocket } from '../support/clients.js';
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
