/**
 * The Socket.IO Redis adapter every instance uses — and the operator's command line, whose
 * socket-less Socket.IO server reaches the clients of every instance through it (an admin's
 * delete from the command line is broadcast exactly as one made in the app).
 *
 * An instance alone on its Redis publishes nothing: every broadcast, relay and room join it
 * would publish is read back by itself only (one write and one wake-up for nothing, per
 * message relay window). See AdapterPeers for how a starting instance is never missed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import type { Adapter } from 'socket.io-adapter';
import type { RedisClient } from '../redis/client.js';
import { isRedisCluster } from '../redis/cluster.js';
import { SOCKET_IO_CHANNEL_PREFIX } from '../redis/keys.js';
import type { ChatServer } from './socket-types.js';

/** Redis 7 has sharded pub/sub, which the adapter uses to spread load over a cluster's shards. */
async function supportsShardedPubSub(redis: RedisClient): Promise<boolean> {
  const info = await redis.info('server');
  const major = Number(/redis_version:(\d+)/.exec(info)?.[1] ?? 0);
  return major >= 7;
}

/** How often an instance counts the others listening, to learn that they left (or came). */
export const ADAPTER_PEERS_POLL_MS = 1000;
/** How long a starting instance waits for the others to have heard of it. */
const HELLO_TIMEOUT_MS = 5000;
/** How soon a hello that Redis refused (the connection not back yet) is tried again. */
const HELLO_RETRY_MS = 100;

/** The adapter's main channel of the `/` namespace: every instance subscribes to it. */
const MAIN_CHANNEL = `${SOCKET_IO_CHANNEL_PREFIX}#/#`;
/** Where instances say that they start, and answer one that does. */
const HELLO_CHANNEL = `${SOCKET_IO_CHANNEL_PREFIX}#instances#`;

/**
 * Whether any other instance (or the operator's command line) listens on the adapter's channel.
 *
 * Arrivals: a starting instance subscribes, then says hello on HELLO_CHANNEL; each instance
 * already there marks that it is no longer alone and then answers; the new one waits for every
 * answer (SPUBLISH tells how many heard it) before it serves anybody. So no instance still
 * believes itself alone once the new one has sockets to deliver to. Departures: each instance
 * counts the main channel's subscribers once per ADAPTER_PEERS_POLL_MS (SHARDNUMSUB counts
 * instances of earlier versions too, which say no hello); a count asked before the last hello
 * arrived cannot say "alone", since it may predate the newcomer's subscription.
 *
 * Returns: an instance whose subscriber lost Redis (a network cut, CLIENT KILL, a restart) was
 * counted out meanwhile, and the others may have decided they were alone. Once subscribed again
 * it says hello again like a newcomer, and its clients reconnect and catch up only after every
 * answer (subscription-gaps.ts waits for `announced()`): what they miss was stored before their
 * catch-up, and what comes after is published to them. While its own subscriber is away, an
 * instance publishes whatever the counts said: it cannot hear a hello then.
 */
class AdapterPeers {
  private others = true;
  /**
   * When the peers last may have changed unseen by a count: a hello or an answer heard, this
   * instance's subscriber lost or back. A count asked before that cannot say "alone".
   */
  private lastChangeAt = 0;
  private readonly waiting = new Set<() => void>();
  private timer: NodeJS.Timeout | null = null;
  private announcing: Promise<void> = Promise.resolve();

  constructor(
    private readonly redis: RedisClient,
    private readonly subscriber: RedisClient,
    private readonly uid: string,
  ) {}

  get othersListen(): boolean {
    return this.others;
  }

  /** Resolves once the instances listening have heard this one's latest hello. */
  announced(): Promise<void> {
    return this.announcing;
  }

  async start(): Promise<void> {
    // On the same connection as the adapter's own subscriptions, after them: once this one is
    // made, the adapter hears everything published on its channel.
    await this.subscriber.sSubscribe(HELLO_CHANNEL, (message) => this.heard(message));
    const lost = () => {
      this.lastChangeAt = performance.now();
      this.others = true;
    };
    this.subscriber.on('error', lost);
    this.subscriber.on('reconnecting', lost);
    // 'ready' comes once node-redis has subscribed again to every channel.
    this.subscriber.on('ready', () => {
      this.lastChangeAt = performance.now();
      this.announcing = this.announce();
    });
    this.announcing = this.announce();
    await this.announcing;
    await this.count();
    this.timer = setInterval(() => void this.count().catch(() => undefined), ADAPTER_PEERS_POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Says hello and waits for every instance that heard it to answer (never rejects). */
  private async announce(): Promise<void> {
    let answers = 0;
    let expected = Infinity;
    const allAnswered = new Promise<void>((done) => {
      const answered = () => {
        answers++;
        if (answers >= expected) done();
      };
      this.waiting.add(answered);
      setTimeout(done, HELLO_TIMEOUT_MS).unref();
    });
    try {
      const heardBy = await this.say(`hello ${this.uid}`);
      expected = heardBy - 1; // itself included
      if (answers < expected) await allAnswered;
    } catch {
      // Nobody could be told: publishing to whoever listens is the safe side.
      this.others = true;
    } finally {
      this.waiting.clear();
    }
  }

  /**
   * Publishes on HELLO_CHANNEL, answering how many heard it. After a gap the command connection
   * may come back after the subscriber: retried until it has, for up to HELLO_TIMEOUT_MS.
   */
  private async say(message: string): Promise<number> {
    const deadline = performance.now() + HELLO_TIMEOUT_MS;
    for (;;) {
      try {
        return await this.redis.sPublish(HELLO_CHANNEL, message);
      } catch (error) {
        if (performance.now() > deadline) throw error;
        await sleep(HELLO_RETRY_MS);
      }
    }
  }

  private heard(message: string): void {
    const [kind, from, to] = message.split(' ');
    if (from === this.uid) return;
    if (kind === 'hello') {
      // Before answering: from the answer on, this instance publishes for the newcomer.
      this.others = true;
      this.lastChangeAt = performance.now();
      // Lost, the newcomer would wait HELLO_TIMEOUT_MS (and its clients with it).
      void this.say(`answer ${this.uid} ${from}`).catch(() => undefined);
    } else if (kind === 'answer' && to === this.uid) {
      // A count asked before this answer may predate the answerer's subscription, as for a
      // hello: it must not say "alone" after this (after a gap every instance says hello again
      // while its counts go on).
      this.others = true;
      this.lastChangeAt = performance.now();
      for (const answered of this.waiting) answered();
    }
  }

  private async count(): Promise<void> {
    // Without its own subscriber this instance would not hear a returning one's hello.
    if (!this.subscriber.isReady) return;
    const askedAt = performance.now();
    const counts = (await this.redis.pubSubShardNumSub(MAIN_CHANNEL)) as Record<string, number>;
    const listeners = Number(counts[MAIN_CHANNEL] ?? 0);
    if (listeners > 1) this.others = true;
    else if (askedAt > this.lastChangeAt) this.others = false;
  }
}

/** The peers of each adapter that counts them (not on a cluster, nor on Redis before 7). */
const peersOf = new WeakMap<object, AdapterPeers>();

/**
 * Whether another instance may need what this one publishes on the adapter: false only while
 * it is known to be alone (then a relay would be published to nobody).
 */
export function othersListen(io: ChatServer): boolean {
  return peersOf.get(io.of('/').adapter)?.othersListen ?? true;
}

/**
 * Resolves once the other instances know that this one listens again after its subscriber came
 * back (at once where instances are not counted): its clients may catch up from then on.
 */
export function peersAnnounced(io: ChatServer): Promise<void> {
  return peersOf.get(io.of('/').adapter)?.announced() ?? Promise.resolve();
}

/**
 * 'static': every instance listens on one main channel, not one channel per Socket.IO room.
 * Most emits go to General (followed by every instance) or to two user rooms (sent on the main
 * channel anyway), and a per-room subscription made as a socket joins could miss an emit racing
 * it, or be lost if Redis drops while it is being made.
 */
export async function useRedisAdapter(
  io: ChatServer,
  redis: RedisClient,
  subscriber: RedisClient,
): Promise<void> {
  if (!(await supportsShardedPubSub(redis))) {
    io.adapter(createAdapter(redis, subscriber, { key: SOCKET_IO_CHANNEL_PREFIX }));
    return;
  }
  io.adapter(
    createShardedAdapter(redis, subscriber, {
      channelPrefix: SOCKET_IO_CHANNEL_PREFIX,
      subscriptionMode: 'static',
    }),
  );
  // On a cluster the channels live on several shards, so the order of subscriptions that the
  // hello relies on does not hold: there, every instance publishes as before.
  if (isRedisCluster(redis)) return;
  const adapter = io.of('/').adapter as Adapter & ClusterAdapterInternals;
  const peers = new AdapterPeers(redis, subscriber, adapter.uid);
  peersOf.set(adapter, peers);
  const publish = adapter.doPublish.bind(adapter);
  adapter.doPublish = (message) => (peers.othersListen ? publish(message) : Promise.resolve(''));
  const close = adapter.close.bind(adapter);
  adapter.close = () => {
    peers.stop();
    return close();
  };
  await peers.start();
}

/** What the sharded adapter (a socket.io-adapter ClusterAdapter) has and its types hide. */
interface ClusterAdapterInternals {
  readonly uid: string;
  doPublish(message: unknown): Promise<string>;
}
