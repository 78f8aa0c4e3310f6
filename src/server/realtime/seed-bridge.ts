/**
 * The bridge to the seed's servers. Every event this project emits is also published as a seed
 * envelope on `MESSAGES` (see Delivery), and envelopes that foreign servers publish there are
 * delivered to this instance's sockets, under the same privacy rule as our own events. Envelopes
 * of this project's instances are skipped here: the Socket.IO adapter already delivered them.
 */
import type { Logger } from 'pino';
import type { SeedEnvelope } from '../../protocol/events.js';
import type { UserPresence } from '../../protocol/models.js';
import { decodeMessage } from '../domain/message-codec.js';
import { privateRoomMembers } from '../domain/rooms.js';
import { SEED_CHANNEL } from '../store/keys.js';
import type { RedisClient } from '../store/redis-client.js';
import type { Delivery } from './delivery.js';
import { decodeSeedEnvelope, isOwnServerId } from './seed-envelope.js';

export type EnvelopeListener = (envelope: SeedEnvelope) => void;

export class SeedBridge {
  private readonly listeners = new Set<EnvelopeListener>();

  constructor(
    private readonly subscriber: RedisClient,
    private readonly delivery: Delivery,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    await this.subscriber.subscribe(SEED_CHANNEL, (raw) => this.receive(raw));
  }

  /** Also hands every envelope, ours included, to a listener (the /stream endpoint). */
  onEnvelope(listener: EnvelopeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private receive(raw: string) {
    const envelope = decodeSeedEnvelope(raw);
    if (!envelope) {
      this.logger.warn({ raw: raw.slice(0, 200) }, 'ignored a malformed envelope on MESSAGES');
      return;
    }
    for (const listener of this.listeners) listener(envelope);
    if (!isOwnServerId(envelope.serverId)) this.deliverForeign(envelope);
  }

  private deliverForeign({ type, data }: SeedEnvelope) {
    if (typeof data !== 'object' || data === null) return;
    const record = data as Record<string, unknown>;
    switch (type) {
      case 'message': {
        const roomId = record.roomId ?? record.RoomId;
        if (typeof roomId !== 'string' && typeof roomId !== 'number') return;
        const date = Number(record.date ?? record.Date);
        const message = decodeMessage({ raw: JSON.stringify(record), score: date }, String(roomId));
        if (message) this.delivery.message(message, true);
        return;
      }
      case 'show.room': {
        const { id, names } = record;
        if (typeof id !== 'string' || !privateRoomMembers(id) || !Array.isArray(names)) return;
        // Python's seed sends each name wrapped in a list.
        this.delivery.showRoom({ id, names: names.flat().map(String) }, true);
        return;
      }
      case 'user.connected':
      case 'user.disconnected':
      case 'disconnect': {
        const { id, username } = record;
        if ((typeof id !== 'string' && typeof id !== 'number') || typeof username !== 'string')
          return;
        const user: UserPresence = { id: String(id), username, online: type === 'user.connected' };
        this.delivery.presence(user, true);
        return;
      }
      default:
        return;
    }
  }
}
