/** In-memory versions of the message ports, for the unit tests of the rules. */
import type { RoomSummary, SessionUser } from '../../../protocol/models.js';
import { privateRoomMembers } from '../../../protocol/room-ids.js';
import { forbidden } from '../../kernel/errors.js';
import type { StoredMessage } from './message-codec.js';
import type {
  AuthorReadMarker,
  ExtraPublish,
  Mentions,
  MessageSendLimiter,
  MessageStore,
  RoomAccess,
  SendOnce,
} from './ports.js';

export class MemoryMessageStore implements MessageStore {
  /** The clock of the retry windows, which a test may move. */
  constructor(private readonly now: () => number = Date.now) {}

  /** Per room, its messages in score order. */
  readonly rooms = new Map<string, StoredMessage[]>();
  /** Every extra PUBLISH sent with a message. */
  readonly published: ExtraPublish[] = [];

  async append(roomId: string, encoded: string, score: number, alsoPublish: ExtraPublish | null) {
    const room = this.room(roomId);
    room.push({ raw: encoded, score });
    room.sort((a, b) => a.score - b.score);
    if (alsoPublish) this.published.push(alsoPublish);
    return { roomSize: room.length };
  }

  /** `${authorId}:${roomId}:${clientId}` -> message id and when the entry expires (ms). */
  readonly sentClientIds = new Map<string, { messageId: string; expiresAtMs: number }>();

  async appendOnce(
    roomId: string,
    encoded: string,
    score: number,
    alsoPublish: ExtraPublish | null,
    once: SendOnce,
  ) {
    const key = `${once.authorId}:${roomId}:${once.clientId}`;
    const earlier = this.sentClientIds.get(key);
    if (earlier && earlier.expiresAtMs > this.now()) {
      return { stored: false as const, messageId: earlier.messageId };
    }
    this.sentClientIds.set(key, {
      messageId: once.messageId,
      expiresAtMs: this.now() + once.retryWindowMs,
    });
    const { roomSize } = await this.append(roomId, encoded, score, alsoPublish);
    return { stored: true as const, roomSize };
  }

  async readNewestFirst(roomId: string, offset: number, size: number) {
    return [...this.room(roomId)].reverse().slice(offset, offset + size);
  }

  async readFromScore(roomId: string, minScore: number, size: number, skip = 0) {
    return this.room(roomId)
      .filter((m) => m.score >= minScore)
      .slice(skip, skip + size);
  }

  async count(roomId: string) {
    return this.room(roomId).length;
  }

  async remove(roomId: string, stored: StoredMessage[]) {
    const raws = new Set(stored.map((message) => message.raw));
    const room = this.room(roomId);
    const kept = room.filter((message) => !raws.has(message.raw));
    this.rooms.set(roomId, kept);
    return room.length - kept.length;
  }

  async readToScore(roomId: string, maxScore: number, size: number) {
    return this.room(roomId)
      .filter((m) => m.score <= maxScore)
      .reverse()
      .slice(0, size);
  }

  async newestMessages(roomIds: string[]) {
    return roomIds.map((id) => this.room(id).at(-1) ?? null);
  }

  async messagesAtScore(roomId: string, score: number) {
    return this.room(roomId).filter((m) => m.score === score);
  }

  async replace(roomId: string, previous: StoredMessage, encoded: string) {
    const room = this.room(roomId);
    const index = room.findIndex((m) => m.raw === previous.raw);
    if (index < 0) return false;
    room[index] = { raw: encoded, score: previous.score };
    return true;
  }

  private room(roomId: string): StoredMessage[] {
    const room = this.rooms.get(roomId) ?? [];
    this.rooms.set(roomId, room);
    return room;
  }
}

/** A fixed window of sends per author, on a clock the test moves. */
export class MemorySendLimiter implements MessageSendLimiter {
  private readonly windows = new Map<string, { sent: number; endsAtMs: number }>();

  constructor(
    private readonly points: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  async consume(authorId: string) {
    let window = this.windows.get(authorId);
    if (!window || window.endsAtMs <= this.now()) {
      window = { sent: 0, endsAtMs: this.now() + this.windowMs };
      this.windows.set(authorId, window);
    }
    window.sent++;
    if (window.sent <= this.points) return { allowed: true as const };
    const retryAfterS = Math.max(1, Math.ceil((window.endsAtMs - this.now()) / 1000));
    return { allowed: false as const, retryAfterS };
  }

  /** Exact: one process sees every send. */
  admit(authorId: string) {
    return this.consume(authorId);
  }
}

/** Rooms as the tests set them up: General for all, private rooms by id, groups by members. */
export class MemoryRooms implements RoomAccess {
  readonly groups = new Map<string, Set<string>>();
  readonly started: string[] = [];

  async assertCanUseRoom(user: SessionUser, roomId: string): Promise<void> {
    if (roomId === '0') return;
    const members = privateRoomMembers(roomId);
    const allowed = members
      ? members.low === user.id || members.high === user.id
      : (this.groups.get(roomId)?.has(user.id) ?? false);
    if (!allowed) throw forbidden(`room ${roomId} is not yours`);
  }

  async roomName(roomId: string): Promise<string | null> {
    return roomId === '0' ? 'General' : null;
  }

  async privateRoomStarted(roomId: string): Promise<RoomSummary | null> {
    if (!privateRoomMembers(roomId)) return null;
    this.started.push(roomId);
    return { id: roomId, names: roomId.split(':'), kind: 'direct' };
  }
}

/** Mentions of `@name` for names in a fixed table, wherever they are written. */
export class MemoryMentions implements Mentions {
  /** `{roomId}/{messageId}` -> mentioned ids. */
  readonly indexed = new Map<string, string[]>();

  constructor(private readonly ids: Record<string, string>) {}

  async resolve(_roomId: string, text: string): Promise<string[]> {
    return Object.entries(this.ids)
      .filter(([name]) => text.includes(`@${name}`))
      .map(([, id]) => id);
  }

  readonly index = {
    add: async (roomId: string, messageId: string, _score: number, userIds: string[]) => {
      if (userIds.length > 0) this.indexed.set(`${roomId}/${messageId}`, userIds);
    },
    remove: async (roomId: string, messageId: string) => {
      this.indexed.delete(`${roomId}/${messageId}`);
    },
  };
}

/** The authors' read markers, per `{userId}/{roomId}`. */
export class MemoryAuthorMarkers implements AuthorReadMarker {
  readonly markers = new Map<string, string>();

  async authorWrote(userId: string, roomId: string, messageId: string): Promise<void> {
    this.markers.set(`${userId}/${roomId}`, messageId);
  }
}
