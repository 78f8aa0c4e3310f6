/**
 * Compatibility with the demo's servers in other languages, in one place: the seed's envelopes on
 * the Redis `MESSAGES` channel (published for our events, received from foreign servers) and the
 * seed client's `GET /stream`. It is fed by domain events and by one hook in the posting of a
 * message; nothing else in the server knows the envelope. SEED_BRIDGE=false leaves every envelope
 * out (the /stream route then carries nothing); deleting this folder and its lines in app.ts
 * removes the compatibility altogether.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ChatMessage } from '../../protocol/models.js';
import type { ChatEvents, DomainEvents } from '../kernel/domain-events.js';
import type { FanOut } from '../kernel/realtime/fan-out.js';
import { type RedisClient, duplicateRedisClient } from '../kernel/redis/client.js';
import { isRedisCluster } from '../kernel/redis/cluster.js';
import { SEED_CHANNEL } from '../kernel/redis/keys.js';
import { SeedBridge, type StoredMessageReader } from './seed-bridge.js';
import { encodeSeedEnvelope } from './seed-envelope.js';
import { type StreamSessions, streamRoute } from './stream-route.js';

/** A PUBLISH that goes out in the same transaction as the message it announces. */
export interface PublishWithMessage {
  channel: string;
  message: string;
}

export interface SeedInteropOptions {
  /** SEED_BRIDGE: publish and accept the seed's envelopes. */
  enabled: boolean;
  serverId: string;
  redis: RedisClient;
  fanOut: FanOut;
  events: DomainEvents<ChatEvents>;
  log: Logger;
  /** A room's stored messages from a score on, to give foreign messages their stored id. */
  readStored: StoredMessageReader;
}

/** How often an instance asks Redis whether anyone else listens on MESSAGES. */
export const SEED_LISTENERS_POLL_MS = 1000;

export class SeedInterop {
  /** Listens on MESSAGES; null when the bridge is off. */
  private readonly subscriber: RedisClient | null;
  private readonly bridge: SeedBridge | null;
  /**
   * Whether a seed server or a /stream listener (of any instance) listens on MESSAGES: while
   * nobody does, no envelope is published, which saves a PUBLISH per message and, on every
   * instance, the read of its echo. Our instances listen with a pattern (PSUBSCRIBE), which
   * `PUBSUB NUMSUB` does not count, so the count is exactly those others (see SeedBridge).
   * A Redis Cluster counts per node only: there every envelope is published.
   */
  private othersListen = true;
  private poll: NodeJS.Timeout | null = null;
  private readonly countable: boolean;

  constructor(private readonly options: SeedInteropOptions) {
    const { enabled, redis, log, fanOut, events } = options;
    this.countable = !isRedisCluster(redis);
    this.subscriber = enabled ? duplicateRedisClient(redis, log, 'seed-subscriber') : null;
    this.bridge = this.subscriber
      ? new SeedBridge(this.subscriber, fanOut, log, options.readStored, this.countable, () => {
          this.othersListen = true;
        })
      : null;
    if (!enabled) return;
    events.on('room.shown', (room) => this.publish('show.room', room));
    events.on('presence.changed', (user) =>
      this.publish(user.online ? 'user.connected' : 'user.disconnected', user),
    );
  }

  /** Redis connections that subscribe: a gap in one means missed envelopes. */
  get subscribers(): RedisClient[] {
    return this.subscriber ? [this.subscriber] : [];
  }

  async connect(): Promise<void> {
    await this.subscriber?.connect();
  }

  /** Starts receiving envelopes, and counting who else listens. */
  async start(): Promise<void> {
    await this.bridge?.start();
    if (!this.bridge || !this.countable) return;
    await this.countListeners();
    this.poll = setInterval(() => void this.countListeners(), SEED_LISTENERS_POLL_MS);
    this.poll.unref();
  }

  /** The envelope announcing a new message, published in the transaction that stores it. */
  readonly publishWithMessage = (message: ChatMessage): PublishWithMessage | null =>
    this.options.enabled && this.othersListen
      ? { channel: SEED_CHANNEL, message: this.envelope('message', message) }
      : null;

  routes(app: FastifyInstance, sessions: StreamSessions): void {
    streamRoute(app, this.bridge, sessions);
  }

  async close(): Promise<void> {
    if (this.poll) clearInterval(this.poll);
    await this.subscriber?.close();
  }

  private async countListeners(): Promise<void> {
    try {
      const counts = await this.options.redis.pubSubNumSub(SEED_CHANNEL);
      this.othersListen = (counts[SEED_CHANNEL] ?? 0) > 0;
    } catch (error) {
      // Unknown: publish, as before anyone counted. The next poll tries again.
      this.othersListen = true;
      this.options.log.debug({ err: error }, 'could not count the listeners on MESSAGES');
    }
  }

  private envelope(type: string, data: unknown): string {
    return encodeSeedEnvelope(this.options.serverId, type, data);
  }

  private publish(type: string, data: unknown): void {
    if (!this.othersListen) return;
    this.options.redis.publish(SEED_CHANNEL, this.envelope(type, data)).catch((error: unknown) => {
      this.options.log.warn({ err: error, type }, 'could not publish a seed envelope');
    });
  }
}
