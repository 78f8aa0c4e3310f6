/**
 * The Socket.IO Redis adapter every instance uses — and the operator's command line, whose
 * socket-less Socket.IO server reaches the clients of every instance through it (an admin's
 * delete from the command line is broadcast exactly as one made in the app).
 *
 * An instance alone on its Redis publishes nothing: every broadcast, relay and room join it
 * would publish is read back by itself only (one write and one wake-up for nothing, per
 * message relay window). See AdapterPeers for how a starting instance is never missed.
 *
 * Beside others it publishes on a channel of its own, which only the others read: on the
 * adapter's one main channel every instance read back (woke up for, and decoded) every publish
 * of its own, a third of what three instances read. See AdapterPeers for when it falls back to
 * the main channel.
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
/** How soon a subscription to a peer's channel that failed (Redis away) is asked again. */
const FOLLOW_RETRY_MS = 200;

/** The adapter's main channel of the `/` namespace: every instance subscribes to it. */
const MAIN_CHANNEL = `${SOCKET_IO_CHANNEL_PREFIX}#/#`;
/** Where instances say that they start, answer one that does, and say that they stop. */
const HELLO_CHANNEL = `${SOCKET_IO_CHANNEL_PREFIX}#instances#`;
/** Where an instance publishes once it knows every listener: read by the others only. */
export const publisherChannel = (uid: string) => `${MAIN_CHANNEL}from#${uid}#`;
/** The adapter's channel for the responses to an instance's requests: it listens while alive. */
const responseChannel = (uid: string) => `${MAIN_CHANNEL}${uid}#`;

/**
 * Whether any other instance (or the operator's command line) listens on the adapter's channel,
 * and which.
 *
 * Arrivals: a starting instance subscribes, then says hello on HELLO_CHANNEL; each instance
 * already there marks that it is no longer alone, subscribes to the newcomer's own channel and
 * then answers; the new one subscribes to the channel of each that answers, and waits for every
 * answer (SPUBLISH tells how many heard it) before it serves anybody. So no instance still
 * believes itself alone once the new one has sockets to deliver to, and each reads the other's
 * own channel before either delivers anything through it. Departures: each instance counts the
 * main channel's subscribers once per ADAPTER_PEERS_POLL_MS (SHARDNUMSUB counts instances of
 * earlier versions too, which say no hello); a count asked before the last hello arrived cannot
 * say "alone", since it may predate the newcomer's subscription. One that stops says bye, and
 * the others stop reading its channel.
 *
 * Its own channel: an instance publishes there only once it has started, and while the same
 * count finds every other listener of the main channel among its followers, alive (a peer's
 * response channel has a subscriber while it lives). A follower is a peer known to read its
 * channel: one that answered its hello (it subscribed first), or one that said `follows` after
 * subscribing on its answer. So a newcomer still subscribing, an instance of an earlier version,
 * a peer whose subscription or confirmation failed, or a subscriber of another kind gets
 * everything on the main channel as before — the newcomer until its confirmation, the others
 * within a poll of their arrival (an earlier version's instance was already heard of within a
 * poll). Requests that wait for answers (fetchSockets, emits with an ack) stay on the main
 * channel: their expected number of answers is the main channel's subscribers. Order: one
 * instance publishes on one connection, and a Redis server sends each subscriber connection
 * what it publishes in that order whatever the channel, so switching channels reorders nothing.
 * Only without a cluster: there the channels live on several shards.
 *
 * Returns: an instance whose subscriber lost Redis (a network cut, CLIENT KILL, a restart) was
 * counted out meanwhile, and the others may have decided they were alone. Once subscribed again
 * it says hello again like a newcomer, and its clients reconnect and catch up only after every
 * answer (subscription-gaps.ts waits for `announced()`): what they miss was stored before their
 * catch-up, and what comes after is published to them. While its own subscriber is away, an
 * instance publishes whatever the counts said: it cannot hear a hello then. Its subscriptions
 * to the others' channels come back with the others (node-redis subscribes again to all), and
 * the others never stopped reading its own; one that started meanwhile hears its new hello.
 */
class AdapterPeers {
  private others = true;
  private lastHelloAt = 0;
  /** Changes whenever the subscriber's connection goes or comes back: older counts are void. */
  private subscriberEpoch = 0;
  private readonly waiting = new Set<() => void>();
  private timer: NodeJS.Timeout | null = null;
  private announcing: Promise<void> = Promise.resolve();
  /** Instances heard of through hello or answer, whose own channel this one reads. */
  private readonly peers = new Set<string>();
  /** Peers known to read this instance's own channel. */
  private readonly followers = new Set<string>();
  /** Started, and the last count found every other listener among the followers. */
  private started = false;
  private allKnown = false;

  constructor(
    private readonly redis: RedisClient,
    private readonly subscriber: RedisClient,
    private readonly uid: string,
    /** Reads what a peer publishes on its own channel, as the adapter reads its main channel. */
    private readonly onPeerMessage: (message: Buffer, channel: Buffer) => void,
  ) {}

  get othersListen(): boolean {
    return this.others;
  }

  /** Whether what this instance publishes may go on its own channel. */
  get ownChannel(): boolean {
    return this.started && this.allKnown;
  }

  /** Resolves once the instances listening have heard this one's latest hello. */
  announced(): Promise<void> {
    return this.announcing;
  }

  async start(): Promise<void> {
    // On the same connection as the adapter's own subscriptions, after them: once this one is
    // made, the adapter hears everything published on its channel.
    await this.subscriber.sSubscribe(HELLO_CHANNEL, (message) => void this.heard(message));
    const lost = () => {
      this.subscriberEpoch++;
      this.others = true;
    };
    this.subscriber.on('error', lost);
    this.subscriber.on('reconnecting', lost);
    // 'ready' comes once node-redis has subscribed again to every channel.
    this.subscriber.on('ready', () => {
      this.subscriberEpoch++;
      this.announcing = this.announce();
    });
    this.announcing = this.announce();
    await this.announcing;
    this.started = true;
    await this.count();
    this.timer = setInterval(() => void this.count().catch(() => undefined), ADAPTER_PEERS_POLL_MS);
    this.timer.unref();
  }

  /** Says bye after everything this instance published, so the others stop reading its channel. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.started = false;
    await this.redis.sPublish(HELLO_CHANNEL, `bye ${this.uid}`).catch(() => undefined);
    const channels = [...this.peers].map(publisherChannel);
    this.peers.clear();
    this.followers.clear();
    if (channels.length > 0) await this.subscriber.sUnsubscribe(channels).catch(() => undefined);
  }

  /** Says hello and waits for every instance that heard it to answer (never rejects). */
  private async announce(): Promise<void> {
    let answers = 0;
    let expected = Infinity;
    const deadline = performance.now() + HELLO_TIMEOUT_MS;
    const allAnswered = new Promise<void>((done) => {
      const answered = () => {
        answers++;
        if (answers >= expected) done();
      };
      this.waiting.add(answered);
      setTimeout(done, HELLO_TIMEOUT_MS).unref();
    });
    try {
      // The command connection may come back after the subscriber: retried until it is.
      for (;;) {
        try {
          const heardBy = await this.redis.sPublish(HELLO_CHANNEL, `hello ${this.uid}`);
          expected = heardBy - 1; // itself included
          break;
        } catch (error) {
          if (performance.now() > deadline) throw error;
          await sleep(HELLO_RETRY_MS);
        }
      }
      if (answers < expected) await allAnswered;
    } catch {
      // Nobody could be told: publishing to whoever listens is the safe side.
      this.others = true;
    } finally {
      this.waiting.clear();
    }
  }

  private async heard(message: string): Promise<void> {
    const [kind, from, to] = message.split(' ');
    if (from === undefined || from === this.uid) return;
    if (kind === 'hello') {
      // Before subscribing and answering: from now on, this instance publishes for the newcomer
      // (on the main channel until it follows and a count knows it alive).
      this.others = true;
      this.lastHelloAt = performance.now();
      this.allKnown = false;
      await this.follow(from);
      await this.redis.sPublish(HELLO_CHANNEL, `answer ${this.uid} ${from}`).catch(() => undefined);
    } else if (kind === 'answer' && to === this.uid) {
      this.others = true;
      // It answered once it read this instance's channel.
      this.followers.add(from);
      // The answer counts once this instance reads the answerer's channel.
      await this.follow(from);
      await this.redis
        .sPublish(HELLO_CHANNEL, `follows ${this.uid} ${from}`)
        .catch(() => undefined);
      for (const answered of this.waiting) answered();
    } else if (kind === 'follows' && to === this.uid) {
      if (this.peers.has(from)) this.followers.add(from);
    } else if (kind === 'bye' && this.peers.delete(from)) {
      this.followers.delete(from);
      // Everything it published came before its bye, on this same connection.
      await this.subscriber.sUnsubscribe(publisherChannel(from)).catch(() => undefined);
    }
  }

  /**
   * Reads the peer's channel from now on. Retried until made (Redis away): the answer or the
   * confirmation that tells the peer so waits for it, and node-redis subscribes again after a
   * reconnection only to what it had subscribed.
   */
  private async follow(peer: string): Promise<void> {
    if (this.peers.has(peer)) return;
    this.peers.add(peer);
    for (;;) {
      try {
        // Buffers, as the adapter's own subscriptions (a message may be msgpack).
        await this.subscriber.sSubscribe(publisherChannel(peer), this.onPeerMessage, true);
        return;
      } catch {
        if (!this.peers.has(peer)) return; // it said bye, or this instance stops
        await sleep(FOLLOW_RETRY_MS);
      }
    }
  }

  private async count(): Promise<void> {
    // Without its own subscriber this instance would not hear a returning one's hello.
    if (!this.subscriber.isReady) return;
    const askedAt = performance.now();
    const epoch = this.subscriberEpoch;
    const followers = [...this.followers];
    const counts = (await this.redis.pubSubShardNumSub([
      MAIN_CHANNEL,
      ...followers.map(responseChannel),
    ])) as Record<string, number>;
    const listeners = Number(counts[MAIN_CHANNEL] ?? 0);
    const alive = followers.filter((peer) => Number(counts[responseChannel(peer)] ?? 0) > 0).length;
    if (listeners > 1) this.others = true;
    else if (askedAt > this.lastHelloAt && epoch === this.subscriberEpoch) this.others = false;
    // A hello heard meanwhile may be a listener this count did not know: the next one decides.
    if (askedAt > this.lastHelloAt) this.allKnown = listeners <= alive + 1;
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
  const peers = new AdapterPeers(redis, subscriber, adapter.uid, (message, channel) =>
    adapter.onRawMessage(message, channel),
  );
  peersOf.set(adapter, peers);
  const publish = adapter.doPublish.bind(adapter);
  const own = publisherChannel(adapter.uid);
  adapter.doPublish = (message) => {
    if (!peers.othersListen) return Promise.resolve('');
    if (!peers.ownChannel || message.data?.requestId !== undefined) return publish(message);
    return redis.sPublish(own, adapter.encode(message)).then(() => '');
  };
  const close = adapter.close.bind(adapter);
  adapter.close = async () => {
    // After the adapter's last publishes (same connection), before it stops listening.
    await peers.stop();
    return close();
  };
  await peers.start();
}

/** What the sharded adapter (a socket.io-adapter ClusterAdapter) has and its types hide. */
interface ClusterAdapterInternals {
  readonly uid: string;
  doPublish(message: { data?: { requestId?: unknown } }): Promise<string>;
  encode(message: unknown): string | Buffer;
  onRawMessage(message: Buffer, channel: Buffer): void;
}
