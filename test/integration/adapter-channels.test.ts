/**
 * Each instance publishes on a channel of its own that only the others read (it no longer reads
 * back its own relays on the adapter's main channel), falls back to the main channel while a
 * listener it does not know is there (an instance of an earlier version), and stops reading a
 * peer's channel once that peer says bye.
 */
import { type RedisClientType } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatClientSocket, HttpClient, collect, connectSocket } from '../support/clients.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { type InProcessServer, startInProcessServer } from '../support/server.js';
import { waitFor } from '../support/wait.js';

const ENV = { MESSAGES_PER_SECOND: '1000', DEMO_DATA: 'false' };
const MAIN_CHANNEL = 'socket.io#/#';
const OWN_CHANNELS = `${MAIN_CHANNEL}from#*`;
/** Longer than the relay window (5 ms): a relay due by then has been published. */
const RELAY_SETTLE_MS = 100;

let redis: TestRedis;
let monitor: RedisClientType;
let a: InProcessServer;
let b: InProcessServer | undefined;
const sockets: ChatClientSocket[] = [];
/** The channel of every SPUBLISH carrying a message relay, as Redis ran them. */
let relayChannels: string[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  monitor = redis.client.duplicate();
  await monitor.connect();
  await monitor.monitor((line) => {
    // 1764000000.123456 [0 127.0.0.1:40000] "SPUBLISH" "channel" "payload"
    const spublish = /"SPUBLISH" "([^"]*)" (.*)$/i.exec(line);
    if (spublish?.[2]?.includes('messages.relay')) relayChannels.push(spublish[1] ?? '');
  });
  a = await startInProcessServer(redis.url, ENV);
  b = await startInProcessServer(redis.url, ENV);
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await b?.stop();
  await a?.stop();
  await monitor?.close().catch(() => undefined);
  await redis?.stop();
});

async function signedIn(server: InProcessServer, username: string) {
  const http = new HttpClient(server.url);
  await http.login(username);
  const socket = await connectSocket(server.url, http.cookie);
  sockets.push(socket);
  return socket;
}

/** Posts in General and returns the channels its relay was published on. */
async function relayOf(socket: ChatClientSocket, message: string): Promise<string[]> {
  relayChannels = [];
  const ack = await socket.timeout(5000).emitWithAck('message', { roomId: '0', message });
  expect(ack).toMatchObject({ ok: true });
  await new Promise((done) => setTimeout(done, RELAY_SETTLE_MS));
  return relayChannels;
}

/** Subscribers of each instance's own channel. */
async function ownChannelSubscribers(): Promise<Record<string, number>> {
  const channels = await redis.client.sendCommand<string[]>([
    'PUBSUB',
    'SHARDCHANNELS',
    OWN_CHANNELS,
  ]);
  if (channels.length === 0) return {};
  return (await redis.client.pubSubShardNumSub(channels)) as Record<string, number>;
}

describe('the adapter channels of several instances', () => {
  it('relays on its own channel, read by the others only; on the main channel while an unknown listener is there', async () => {
    const joe = await signedIn(a, 'Joe');
    const pablo = await signedIn(b!, 'Pablo');
    const received = collect(pablo, 'message');

    // Each reads the other's channel, and nobody its own.
    const subscribers = await ownChannelSubscribers();
    expect(Object.values(subscribers)).toEqual([1, 1]);

    // Until its next count, an instance that heard a hello publishes on the main channel.
    await waitFor('a to relay on its own channel', async () => {
      const channels = await relayOf(joe, 'own channel');
      return (
        channels.length > 0 &&
        channels.every((channel) => channel.startsWith(MAIN_CHANNEL + 'from#'))
      );
    });
    await waitFor('Pablo to get it through the relay', () =>
      received.some((m) => m.message === 'own channel'),
    );

    // An instance of an earlier version listens on the main channel only, and says no hello.
    const earlier = redis.client.duplicate();
    await earlier.connect();
    const heardByEarlier: string[] = [];
    await earlier.sSubscribe(MAIN_CHANNEL, (message) => heardByEarlier.push(message));
    try {
      await waitFor('the earlier version to get the relays', async () => {
        await relayOf(joe, 'for everybody');
        return heardByEarlier.some((message) => message.includes('for everybody'));
      });
      expect(await relayOf(joe, 'still main')).toEqual([MAIN_CHANNEL]);
    } finally {
      await earlier.close();
    }
    await waitFor('a to go back to its own channel', async () => {
      const channels = await relayOf(joe, 'own again');
      return channels.length > 0 && channels.every((channel) => channel !== MAIN_CHANNEL);
    });

    // b says bye as it stops: a stops reading its channel.
    pablo.close();
    await b!.stop();
    b = undefined;
    await waitFor('no own channel read any longer', async () => {
      return Object.keys(await ownChannelSubscribers()).length === 0;
    });
  });
});
