/**
 * What an instance counts, in Prometheus terms (prom-client), on a registry of its own: several
 * instances can run in one process (the tests do) without sharing counters. Every metric is
 * declared here with its unit and labels, so the names in docs/grafana-dashboard.json and the
 * README's list have one source. Labels take a few fixed values only (room kind, limit kind,
 * route pattern, status): the number of series never grows with users, rooms or messages.
 *
 * Hot paths get pre-bound children (one object per label value, created once), so counting a
 * message is an increment on an object, not a label lookup.
 */
import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
  type Counter as CounterType,
} from 'prom-client';
import { GENERAL_ROOM_ID } from '../../../protocol/models.js';
import { privateRoomMembers } from '../../../protocol/room-ids.js';

/** What kind of room a message is in, as a label: General, a private room, a group room. */
export type RoomKindLabel = 'general' | 'private' | 'group';
export const ROOM_KIND_LABELS: readonly RoomKindLabel[] = ['general', 'private', 'group'];

export const roomKindLabel = (roomId: string): RoomKindLabel =>
  roomId === GENERAL_ROOM_ID ? 'general' : privateRoomMembers(roomId) ? 'private' : 'group';

/** Every metric this project adds (the default process and Node.js metrics come on top). */
export const METRIC_NAMES = {
  socketsConnected: 'chat_sockets_connected',
  messagesSent: 'chat_messages_sent_total',
  messagesDelivered: 'chat_messages_delivered_total',
  rateLimited: 'chat_rate_limited_total',
  httpRequestDuration: 'chat_http_request_duration_seconds',
  redisCommandDuration: 'chat_redis_command_duration_seconds',
  redisCommandErrors: 'chat_redis_command_errors_total',
  redisConnectionErrors: 'chat_redis_connection_errors_total',
  relayBatches: 'chat_relay_batches_total',
  relayMessages: 'chat_relay_messages_total',
  eventLoopLag: 'chat_event_loop_lag_seconds',
  retentionRemoved: 'chat_retention_removed_messages_total',
} as const;

/** How often the event loop's lag is sampled: a timer's lateness, 4 wake-ups a second. */
const LAG_SAMPLE_EVERY_MS = 250;

const SECONDS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const LAG_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

type ChildCounter = ReturnType<CounterType<string>['labels']>;

export class ChatMetrics {
  readonly registry = new Registry();
  private readonly sent: Record<RoomKindLabel, ChildCounter>;
  private readonly delivered: Record<RoomKindLabel, ChildCounter>;
  private readonly rateLimitedTotal: Counter<'kind'>;
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly redisDuration: Histogram<string>;
  private readonly redisErrors: Counter<'reason'>;
  private readonly redisConnectionErrorsTotal: Counter<'client'>;
  private readonly relayBatchesSent: ChildCounter;
  private readonly relayBatchesReceived: ChildCounter;
  private readonly relayMessagesSent: ChildCounter;
  private readonly relayMessagesReceived: ChildCounter;
  private readonly lag: Histogram<string>;
  private readonly retentionRemovedTotal: Counter<'room_kind'>;
  private connectedSockets: () => number = () => 0;
  private lagTimer: NodeJS.Timeout | null = null;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    const readSockets = () => this.connectedSockets();
    new Gauge({
      name: METRIC_NAMES.socketsConnected,
      help: 'Socket.IO connections open on this instance',
      registers,
      // Read when scraped: nothing to keep up to date on every connect and disconnect.
      collect() {
        this.set(readSockets());
      },
    });
    const sent = new Counter({
      name: METRIC_NAMES.messagesSent,
      help: 'Messages stored by this instance, by room kind',
      labelNames: ['kind'],
      registers,
    });
    const delivered = new Counter({
      name: METRIC_NAMES.messagesDelivered,
      help: 'Messages handed to sockets of this instance (one per socket), by room kind',
      labelNames: ['kind'],
      registers,
    });
    this.sent = byRoomKind(sent);
    this.delivered = byRoomKind(delivered);
    this.rateLimitedTotal = new Counter({
      name: METRIC_NAMES.rateLimited,
      help: 'Requests and events refused by a rate limit, by limit',
      labelNames: ['kind'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: METRIC_NAMES.httpRequestDuration,
      help: 'HTTP requests by method, route pattern and status, with their duration',
      labelNames: ['method', 'route', 'status'],
      buckets: SECONDS_BUCKETS,
      registers,
    });
    this.redisDuration = new Histogram({
      name: METRIC_NAMES.redisCommandDuration,
      help: 'Round trips of the command connection to Redis (a MULTI counts once)',
      buckets: SECONDS_BUCKETS,
      registers,
    });
    this.redisErrors = new Counter({
      name: METRIC_NAMES.redisCommandErrors,
      help: 'Redis commands that failed, by reason (Redis error, offline, closed, timeout)',
      labelNames: ['reason'],
      registers,
    });
    this.redisConnectionErrorsTotal = new Counter({
      name: METRIC_NAMES.redisConnectionErrors,
      help: 'Errors reported by a Redis connection (lost, refused), by connection',
      labelNames: ['client'],
      registers,
    });
    const batches = new Counter({
      name: METRIC_NAMES.relayBatches,
      help: 'Message relays between instances (one per relay window), sent or received',
      labelNames: ['direction'],
      registers,
    });
    const relayed = new Counter({
      name: METRIC_NAMES.relayMessages,
      help: 'Messages carried by relays between instances, sent or received',
      labelNames: ['direction'],
      registers,
    });
    this.relayBatchesSent = batches.labels('sent');
    this.relayBatchesReceived = batches.labels('received');
    this.relayMessagesSent = relayed.labels('sent');
    this.relayMessagesReceived = relayed.labels('received');
    this.lag = new Histogram({
      name: METRIC_NAMES.eventLoopLag,
      help: `How late a timer fires (sampled every ${LAG_SAMPLE_EVERY_MS} ms): event-loop lag`,
      buckets: LAG_BUCKETS,
      registers,
    });
    this.retentionRemovedTotal = new Counter({
      name: METRIC_NAMES.retentionRemoved,
      help: 'Messages removed by the retention job on this instance, by room kind',
      labelNames: ['room_kind'],
      registers,
    });
  }

  /** Where the connected-sockets gauge reads its value when scraped. */
  countSocketsWith(read: () => number): void {
    this.connectedSockets = read;
  }

  messageSent(roomId: string): void {
    this.sent[roomKindLabel(roomId)].inc();
  }

  messagesDelivered(roomId: string, count: number): void {
    if (count > 0) this.delivered[roomKindLabel(roomId)].inc(count);
  }

  rateLimited(kind: string): void {
    this.rateLimitedTotal.labels(kind).inc();
  }

  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.labels(method, route, String(status)).observe(seconds);
  }

  redisCommand(seconds: number): void {
    this.redisDuration.observe(seconds);
  }

  redisCommandFailed(reason: string): void {
    this.redisErrors.labels(reason).inc();
  }

  redisConnectionError(client: string): void {
    this.redisConnectionErrorsTotal.labels(client).inc();
  }

  relaySent(messages: number): void {
    this.relayBatchesSent.inc();
    this.relayMessagesSent.inc(messages);
  }

  relayReceived(messages: number): void {
    this.relayBatchesReceived.inc();
    this.relayMessagesReceived.inc(messages);
  }

  retentionRemoved(roomId: string, count: number): void {
    if (count > 0) this.retentionRemovedTotal.labels(roomKindLabel(roomId)).inc(count);
  }

  /** Starts sampling the event loop's lag; stop() ends it. */
  start(): void {
    if (this.lagTimer) return;
    let expectedAt = performance.now() + LAG_SAMPLE_EVERY_MS;
    const sample = () => {
      const now = performance.now();
      this.lag.observe(Math.max(0, now - expectedAt) / 1000);
      expectedAt = now + LAG_SAMPLE_EVERY_MS;
      this.lagTimer = setTimeout(sample, LAG_SAMPLE_EVERY_MS).unref();
    };
    this.lagTimer = setTimeout(sample, LAG_SAMPLE_EVERY_MS).unref();
  }

  stop(): void {
    if (this.lagTimer) clearTimeout(this.lagTimer);
    this.lagTimer = null;
  }

  /** The Prometheus text exposition of every metric. */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

function byRoomKind(counter: Counter<'kind'>): Record<RoomKindLabel, ChildCounter> {
  return {
    general: counter.labels('general'),
    private: counter.labels('private'),
    group: counter.labels('group'),
  };
}
