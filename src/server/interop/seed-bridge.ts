/**
 * Envelopes from the seed's servers: what foreign servers publish on `MESSAGES` is delivered to
 * this instance's sockets through the fan-out, under the same audience rule as our own events.
 * Envelopes of this project's instances are skipped here: the Socket.IO adapter already
 * delivered them. Every envelope, ours included, also goes to the /stream listeners.
 */
import type { Logger } from 'pino';
import type { SeedEnvelope } from '../../protocol/events.js';
import type { ChatMessage, UserPresence } from '../../protocol/models.js';
import { privateRoomMembers } from '../../protocol/room-ids.js';
import { type StoredMessage, decodeMessage, decodeMessages } from '../features/messages/index.js';
import type { RedisClient } from '../kernel/redis/client.js';
import { SEED_CHANNEL } from '../kernel/redis/keys.js';
import type { FanOut } from '../kernel/realtime/fan-out.js';
import { decodeSeedEnvelope, isOwnEnvelope, isOwnServerId } from './seed-envelope.js';

export type EnvelopeListener = (envelope: SeedEnvelope) => void;

/** The handler of the plain subscription that only makes this instance count as a listener. */
const countMeIn = () => undefined;

/** Reads a room's stored messages from a score on (the seed scores messages by their date). */
export type StoredMessageReader = (roomId: string, fromScore: number) => Promise<StoredMessage[]>;

/** How far before the envelope's date to look for the stored member (seed servers round dates). */
const LOOKUP_WINDOW_S = 1;

export class SeedBridge {
  private readonly listeners = new Set<EnvelopeListener>();
  /** Foreign envelopes are handled one after the other, so they reach sockets in order. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly subscriber: RedisClient,
    private readonly fanOut: FanOut,
    private readonly logger: Logger,
    private readonly readStored: StoredMessageReader | null = null,
    /**
     * Listen with a pattern, which `PUBSUB NUMSUB MESSAGES` does not count, so that the count is
     * the seed's servers alone and our instances publish only while one listens (SeedInterop).
     */
    private readonly asPattern = false,
    /** Told when this instance starts listening for /stream (it must publish from then on). */
    private readonly onStreamListening: () => void = () => undefined,
  ) {}

  async start(): Promise<void> {
    const receive = (raw: string) => this.receive(raw);
    if (this.asPattern) await this.subscriber.pSubscribe(SEED_CHANNEL, receive);
    else await this.subscriber.subscribe(SEED_CHANNEL, receive);
  }

  /**
   * Also hands every envelope, ours included, to a listener (the /stream endpoint). While this
   * instance has such listeners it also subscribes plainly, without a handler: counted by
   * `PUBSUB NUMSUB`, it makes every instance publish its envelopes again.
   */
  onEnvelope(listener: EnvelopeListener): () => void {
    this.listeners.add(listener);
    if (this.asPattern && this.listeners.size === 1) {
      this.onStreamListening();
      this.subscriber.subscribe(SEED_CHANNEL, countMeIn).catch((error: unknown) => {
        this.logger.warn({ err: error }, 'could not subscribe to MESSAGES for /stream');
      });
    }
    return () => {
      if (!this.listeners.delete(listener)) return;
      if (this.asPattern && this.listeners.size === 0) {
        this.subscriber.unsubscribe(SEED_CHANNEL, countMeIn).catch(() => undefined);
      }
    };
  }

  private receive(raw: string) {
    // Our own envelopes matter only to /stream listeners: skip them unparsed when there are none.
    if (this.listeners.size === 0 && isOwnEnvelope(raw)) return;
    const envelope = decodeSeedEnvelope(raw);
    if (!envelope) {
      // Its length only: an envelope carries message text, which stays out of logs.
      this.logger.warn({ bytes: raw.length }, 'ignored a malformed envelope on MESSAGES');
      return;
    }
    for (const listener of this.listeners) listener(envelope);
    if (isOwnServerId(envelope.serverId)) return;
    this.queue = this.queue
      .then(() => this.deliverForeign(envelope))
      .catch((error: unknown) =>
        this.logger.warn({ err: error, type: envelope.type }, 'could not deliver an envelope'),
      );
  }

  private async deliverForeign({ type, data }: SeedEnvelope) {
    if (typeof data !== 'object' || data === null) return;
    const record = data as Record<string, unknown>;
    switch (type) {
      case 'message': {
        const roomId = record.roomId ?? record.RoomId;
        if (typeof roomId !== 'string' && typeof roomId !== 'number') return;
        const message = await this.foreignMessage(record, String(roomId));
        if (message) this.fanOut.message(message, { local: true });
        return;
      }
      case 'show.room': {
        const { id, names } = record;
        if (typeof id !== 'string' || !privateRoomMembers(id) || !Array.isArray(names)) return;
        // Python's seed sends each name wrapped in a list.
        const room = { id, names: names.flat().map(String) };
        this.fanOut.toRoom(id, 'show.room', room, { local: true });
        this.fanOut.follow(id, { local: true });
        return;
      }
      case 'user.connected':
      case 'user.disconnected':
      case 'disconnect': {
        const { id, username } = record;
        if ((typeof id !== 'string' && typeof id !== 'number') || typeof username !== 'string')
          return;
        const user: UserPresence = { id: String(id), username, online: type === 'user.connected' };
        this.fanOut.presence(user, { local: true });
        return;
      }
      default:
        return;
    }
  }

  /**
   * A message announced by a seed server, with the id the HTTP API gives the same stored member,
   * so a client that merges live and fetched messages sees it once. The seed stores its own
   * serialisation (Python's differs from ours), so the member is looked up in the room.
   */
  private async foreignMessage(
    record: Record<string, unknown>,
    roomId: string,
  ): Promise<ChatMessage | null> {
    const date = Number(record.date ?? record.Date);
    const announced = decodeMessage({ raw: JSON.stringify(record), score: date }, roomId);
    if (!announced || !this.readStored || !Number.isFinite(date)) return announced;
    const stored = await this.readStored(
      roomId,
      Math.floor(announced.date) - LOOKUP_WINDOW_S,
    ).catch((error: unknown) => {
      this.logger.debug({ err: error, roomId }, 'could not look up a seed message');
      return [];
    });
    const match = decodeMessages(stored, roomId).find(
      (candidate) =>
        candidate.from === announced.from &&
        candidate.message === announced.message &&
        candidate.date === announced.date,
    );
    return match ?? announced;
  }
}
