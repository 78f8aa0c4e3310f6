/**
 * The message rules: only a room's users read and post in it; the author and the date come from
 * the session and the server's clock, never from the client; a user sends at most so many
 * messages a second; only the author edits a message, the author or an administrator deletes it,
 * and a deleted one stays as a placeholder without text. Texts are stored composed (NFC), and
 * refused when they hold characters that hide or reorder what others see (checkMessageText).
 */
import type {
  ChatMessage,
  PreloadedRoom,
  RoomSummary,
  SessionUser,
} from '../../../protocol/models.js';
import { GENERAL_ROOM_ID } from '../../../protocol/models.js';
import { PAGE_SIZE_MAX } from '../../../protocol/limits.js';
import type { ChatEvents, DomainEvents } from '../../kernel/domain-events.js';
import { AppError, badRequest, notFound, rateLimited } from '../../kernel/errors.js';
import { type TextProblem, normalizeText, textProblem } from '../../kernel/user-text.js';
import {
  MessageClock,
  newMessageId,
  scoreOfMessageId,
  scoreOfMicros,
} from '../../kernel/message-ids.js';
import {
  type StoredMessage,
  decodeMessage,
  decodeMessages,
  encodeMessage,
} from './message-codec.js';
import type {
  Attachments,
  AuthorReadMarker,
  ExtraPublish,
  Mentions,
  MessageSendLimiter,
  MessageStore,
  Moderators,
  RoomAccess,
  SendLimiter,
  Threads,
} from './ports.js';

/** What retention keeps of a room; null: that rule is off. */
export interface TrimPolicy {
  /** Messages with a lower score (sent before this time, in seconds) go. */
  beforeScore: number | null;
  /** Only this many of the newest messages stay. */
  keepNewest: number | null;
}

/** What posting a message produced, for the transport to deliver. */
export interface PostedMessage {
  message: ChatMessage;
  /** Set when this was a private room's first message: its members must be shown the room. */
  newPrivateRoom: RoomSummary | null;
  /** A retry of a send stored before: nothing was stored, and nothing is to be delivered. */
  repeated: boolean;
}

/** A PUBLISH to send with a new message, in the transaction that stores it (see interop/). */
export type PublishWithMessage = (message: ChatMessage) => ExtraPublish | null;

export interface MessagePorts {
  messages: MessageStore;
  sendLimit: MessageSendLimiter;
  /** Edits and deletes per author (MESSAGE_CHANGES_PER_MINUTE): each one is broadcast. */
  changeLimit: SendLimiter;
  rooms: RoomAccess;
  mentions: Mentions;
  reads: AuthorReadMarker;
  publishWithMessage?: PublishWithMessage;
  /** Told of every message posted, edited or deleted (search, files and others listen). */
  events?: DomainEvents<ChatEvents>;
  /** Who may delete others' messages; without it, nobody but the author. */
  moderators?: Moderators;
  /** Replies and thread sizes; without it, a reply is refused. */
  threads?: Threads;
  /** Files attached to messages; without it, a message naming files is refused. */
  files?: Attachments;
}

const GENERAL_FALLBACK_NAME = 'General';

const MESSAGE_TEXT_PROBLEMS: Record<TextProblem, string> = {
  control_characters: 'a message cannot hold control characters other than newline and tab',
  bidi_controls:
    'a message cannot hold bidirectional override, embedding or isolate characters ' +
    '(U+202A–202E, U+2066–2069)',
  invisible_text: 'a message needs a visible character',
};

/**
 * A message text as it is stored: composed (NFC), so that one word is stored and searched one
 * way; refused when it holds control characters (newline and tab aside), bidirectional
 * overrides or isolates, or nothing visible.
 */
export function checkMessageText(text: string): string {
  const normalized = normalizeText(text);
  const problem = textProblem(normalized, { allowLineBreaks: true });
  if (problem) throw new AppError(problem, MESSAGE_TEXT_PROBLEMS[problem]);
  return normalized;
}
/**
 * How long a client id is remembered: a retry after a lost ack comes within seconds of the
 * reconnect, or when the user presses Retry. Each remembered id costs Redis one small key.
 */
export const SEND_RETRY_WINDOW_MS = 15 * 60 * 1000;
const PRELOAD_SIZE = 20;

export class MessageRules {
  private readonly clock = new MessageClock();

  constructor(private readonly ports: MessagePorts) {}

  /** A page counted from the newest message, newest first (the seed's order). */
  async readPage(requester: SessionUser, roomId: string, offset: number, size: number) {
    // The access check and the read leave together, in one round trip instead of two; the page
    // is only decoded and returned once the check has passed.
    const [, stored] = await Promise.all([
      this.ports.rooms.assertCanUseRoom(requester, roomId),
      this.ports.messages.readNewestFirst(roomId, offset, size),
    ]);
    return this.withThreads(roomId, decodeMessages(stored, roomId));
  }

  /** History carries each thread's size on its first message. */
  private withThreads(roomId: string, messages: ChatMessage[]) {
    return this.ports.threads ? this.ports.threads.withSummaries(roomId, messages) : messages;
  }

  /** The messages after a known one, oldest first: what a client missed while disconnected. */
  async readAfter(requester: SessionUser, roomId: string, afterId: string, size: number) {
    await this.ports.rooms.assertCanUseRoom(requester, roomId);
    const score = scoreOfMessageId(afterId);
    if (score === null) throw badRequest('after must be a message id');
    // Read from the same score inclusive: another instance may have used the same microsecond.
    const stored = await this.ports.messages.readFromScore(
      roomId,
      score,
      Math.min(size + 1, PAGE_SIZE_MAX + 1),
    );
    const messages = decodeMessages(stored, roomId);
    const seen = messages.findIndex((message) => message.id === afterId);
    const after =
      seen >= 0
        ? messages.slice(seen + 1)
        : messages.filter((m) => scoreOfMessageId(m.id) !== score);
    return this.withThreads(roomId, after.slice(0, size));
  }

  /**
   * A message and those around it, newest first: about half of `size` older and half newer, for
   * showing a message in context (a search hit). The same score is read on both sides, inclusive,
   * since another instance may have used the same microsecond; duplicates are dropped.
   */
  async readAround(requester: SessionUser, roomId: string, aroundId: string, size: number) {
    const score = scoreOfMessageId(aroundId);
    if (score === null) throw badRequest('around must be a message id');
    const newerCount = Math.floor((size - 1) / 2);
    const [, older, newer] = await Promise.all([
      this.ports.rooms.assertCanUseRoom(requester, roomId),
      this.ports.messages.readToScore(roomId, score, size - newerCount),
      this.ports.messages.readFromScore(roomId, score, newerCount + 1),
    ]);
    const seen = new Set<string>();
    const messages: ChatMessage[] = [];
    for (const message of [
      ...decodeMessages(newer, roomId).reverse(),
      ...decodeMessages(older, roomId),
    ]) {
      if (seen.has(message.id)) continue;
      seen.add(message.id);
      messages.push(message);
    }
    return this.withThreads(roomId, messages);
  }

  async preloadGeneral(requester: SessionUser): Promise<PreloadedRoom> {
    const [name, messages] = await Promise.all([
      this.ports.rooms.roomName(GENERAL_ROOM_ID),
      this.readPage(requester, GENERAL_ROOM_ID, 0, PRELOAD_SIZE),
    ]);
    return { id: GENERAL_ROOM_ID, name: name ?? GENERAL_FALLBACK_NAME, messages };
  }

  /** The newest message of each room, null for an empty room (for the room list). */
  async newestMessages(roomIds: string[]): Promise<(ChatMessage | null)[]> {
    const newest = await this.ports.messages.newestMessages(roomIds);
    return roomIds.map((roomId, i) => {
      const stored = newest[i];
      return stored ? decodeMessage(stored, roomId) : null;
    });
  }

  /**
   * Stores a message from the session's user. The caller has checked access to the room
   * (once per connection and room). Author and date come from here, never from the client.
   * With a client id, a retry of a send already stored (its ack was lost) stores nothing and
   * answers the message stored the first time, marked `repeated`: it is not delivered again.
   * With `replyTo`, a reply: it names the first message of the thread it joins.
   */
  async post(
    author: SessionUser,
    roomId: string,
    text: string,
    clientId?: string,
    replyTo?: string,
    fileIds?: readonly string[],
  ): Promise<PostedMessage> {
    text = checkMessageText(text);
    const [mentions, threadId] = await Promise.all([
      this.ports.mentions.resolve(roomId, text),
      replyTo === undefined ? undefined : this.threadOf(roomId, replyTo),
    ]);
    const micros = this.clock.nextMicros();
    const message: ChatMessage = {
      id: newMessageId(micros),
      from: author.id,
      date: Math.floor(micros / 1e6),
      message: text,
      roomId,
    };
    if (mentions.length > 0) message.mentions = mentions;
    if (threadId !== undefined) message.replyTo = threadId;
    const score = scoreOfMicros(micros);

    // Usually answered at once, so that the count leaves with the store below (one round trip);
    // near the limit, only after the count, so that a refused send stores nothing.
    const admitted = this.ports.sendLimit.admit(author.id);
    const counted = admitted instanceof Promise ? await admitted : admitted;
    if (!counted.allowed) {
      const wait = counted.retryAfterS;
      throw rateLimited(`you are sending too fast; wait ${wait} s`, wait, 'message');
    }
    if (fileIds && fileIds.length > 0) {
      if (!this.ports.files) throw badRequest('files are not available on this server');
      message.files = await this.ports.files.attach(
        author,
        roomId,
        fileIds,
        message.id,
        clientId !== undefined,
      );
    }
    const encoded = encodeMessage(message);
    const alsoPublish = this.ports.publishWithMessage?.(message) ?? null;
    // Issued together, so that the store, the author's read marker (writing in a room means
    // having read it) and what listeners write with the message (the search index) leave in
    // one write.
    const appending = Promise.all([
      clientId === undefined
        ? this.ports.messages
            .append(roomId, encoded, score, alsoPublish)
            .then(({ roomSize }) => ({ stored: true as const, roomSize }))
        : this.ports.messages.appendOnce(roomId, encoded, score, alsoPublish, {
            authorId: author.id,
            clientId,
            messageId: message.id,
            retryWindowMs: SEND_RETRY_WINDOW_MS,
          }),
      this.ports.reads.authorWrote(author.id, roomId, message.id),
    ]);
    // Listeners handle their own failures (the message is stored by then, or taken back).
    const storing = this.ports.events?.emit('message.storing', { message }).catch(() => undefined);
    const [appended] = await appending.catch((error: unknown) => {
      this.unstored(message, storing);
      throw error;
    });
    await storing;
    if (!appended.stored) {
      this.unstored(message, storing);
      return {
        message: await this.storedBefore(roomId, appended.messageId),
        newPrivateRoom: null,
        repeated: true,
      };
    }
    // Only once stored: a refused send must leave no mention behind.
    if (mentions.length > 0) {
      await this.ports.mentions.index.add(roomId, message.id, score, mentions);
    }
    const newPrivateRoom =
      appended.roomSize === 1 ? await this.ports.rooms.privateRoomStarted(roomId) : null;
    await this.ports.events?.emit('message.posted', { message });
    return { message, newPrivateRoom, repeated: false };
  }

  /** Takes back what listeners wrote for a message that was not stored, once they are done. */
  private unstored(message: ChatMessage, storing: Promise<void> | undefined): void {
    const events = this.ports.events;
    if (!events) return;
    const takeBack = () => events.emit('message.unstored', { message });
    void (storing ?? Promise.resolve()).then(takeBack, takeBack).catch(() => undefined);
  }

  private threadOf(roomId: string, replyTo: string): Promise<string> {
    if (!this.ports.threads) throw badRequest('replies are not available on this server');
    return this.ports.threads.threadOf(roomId, replyTo);
  }

  /** The message a retried send stored the first time, as it is now (edited, perhaps). */
  private async storedBefore(roomId: string, id: string): Promise<ChatMessage> {
    const score = scoreOfMessageId(id);
    const candidates =
      score === null ? [] : await this.ports.messages.messagesAtScore(roomId, score);
    for (const stored of candidates) {
      const message = decodeMessage(stored, roomId);
      if (message?.id === id) return message;
    }
    throw notFound(`message ${id}, sent before with this clientId, no longer exists`);
  }

  /**
   * Changes the text of the author's own message. The same text again changes nothing, costs no
   * part of the limit and is not to be broadcast (`changed: false`).
   */
  async edit(author: SessionUser, roomId: string, id: string, typed: string) {
    const text = checkMessageText(typed);
    const { stored, message } = await this.ownMessage(author, roomId, id);
    if (message.deleted) throw badRequest('a deleted message cannot be edited');
    if (message.message === text) return { message, changed: false };
    await this.countChange(author);
    const mentions = await this.ports.mentions.resolve(roomId, text);
    const edited: ChatMessage = { ...message, message: text, edited: true };
    delete edited.mentions;
    if (mentions.length > 0) edited.mentions = mentions;
    await this.replace(roomId, stored, edited);
    await this.ports.mentions.index.remove(roomId, id, message.mentions ?? []);
    await this.ports.mentions.index.add(roomId, id, stored.score, mentions);
    await this.ports.events?.emit('message.edited', { previous: message, message: edited });
    return { message: edited, changed: true };
  }

  /**
   * Deletes a message, the requester's own or, for an administrator, anyone's: it stays in place
   * as a placeholder without text. Deleting it again changes nothing and is not to be broadcast
   * (`changed: false`).
   */
  async delete(requester: SessionUser, roomId: string, id: string) {
    const byAdmin = this.ports.moderators?.isAdmin(requester) ?? false;
    const { stored, message } = await this.ownMessage(requester, roomId, id, byAdmin);
    if (message.deleted) return { message, changed: false };
    await this.countChange(requester);
    return { message: await this.blank(roomId, stored, message), changed: true };
  }

  /**
   * The operator's delete, from the command line: no requester, no access check. Null when the
   * room holds no such message.
   */
  async deleteAsOperator(
    roomId: string,
    id: string,
  ): Promise<{ message: ChatMessage; changed: boolean } | null> {
    const found = await this.findStored(roomId, id);
    if (!found) return null;
    if (found.message.deleted) return { message: found.message, changed: false };
    return { message: await this.blank(roomId, found.stored, found.message), changed: true };
  }

  /**
   * Retention: takes out of the room, oldest first, up to `pageSize` of the messages that are
   * older than `beforeScore` or beyond the newest `keepNewest` (either may be null: no such
   * rule), then tells the features that refer to messages. Answers the messages removed; fewer
   * than `pageSize` means the room is done.
   */
  async trimOldest(roomId: string, policy: TrimPolicy, pageSize: number): Promise<ChatMessage[]> {
    const [oldest, count] = await Promise.all([
      this.ports.messages.readFromScore(roomId, -Infinity, pageSize),
      policy.keepNewest === null ? 0 : this.ports.messages.count(roomId),
    ]);
    const excess = policy.keepNewest === null ? 0 : count - policy.keepNewest;
    // Oldest first, so both rules select a prefix of the page.
    const beforeScore = policy.beforeScore;
    const trimmed = oldest.filter(
      (stored, index) => index < excess || (beforeScore !== null && stored.score < beforeScore),
    );
    if (trimmed.length === 0) return [];
    await this.ports.messages.remove(roomId, trimmed);
    const messages = decodeMessages(trimmed, roomId);
    await this.ports.events?.emit('messages.removed', { roomId, messages });
    return messages;
  }

  /**
   * Every message of a room, oldest first, a page at a time: a room of any size is read without
   * holding more than one page. Messages may share a score (two instances, one microsecond), so
   * a page starts at the last score seen, past the messages of that score already given.
   */
  async *pagesOldestFirst(roomId: string, pageSize: number): AsyncGenerator<ChatMessage[]> {
    let minScore = -Infinity;
    let skip = 0;
    for (;;) {
      const page = await this.ports.messages.readFromScore(roomId, minScore, pageSize, skip);
      const last = page.at(-1);
      if (!last) return;
      yield decodeMessages(page, roomId);
      if (page.length < pageSize) return;
      const atLastScore = page.filter((stored) => stored.score === last.score).length;
      skip = last.score === minScore ? skip + atLastScore : atLastScore;
      minScore = last.score;
    }
  }

  private async blank(roomId: string, stored: StoredMessage, message: ChatMessage) {
    if (message.deleted) return message;
    const deleted: ChatMessage = { ...message, message: '', deleted: true };
    delete deleted.mentions;
    delete deleted.edited;
    delete deleted.files; // the files feature deletes them (message.deleted)
    await this.replace(roomId, stored, deleted);
    await this.ports.mentions.index.remove(roomId, message.id, message.mentions ?? []);
    await this.ports.events?.emit('message.deleted', { previous: message, message: deleted });
    return deleted;
  }

  private async countChange(author: SessionUser): Promise<void> {
    const counted = await this.ports.changeLimit.consume(author.id);
    if (!counted.allowed) {
      const wait = counted.retryAfterS;
      throw rateLimited(
        `you are editing and deleting too fast; wait ${wait} s`,
        wait,
        'message_change',
      );
    }
  }

  /** A stored message by id (deleted ones too), or null; for features about messages. */
  async findMessage(roomId: string, id: string): Promise<ChatMessage | null> {
    const score = scoreOfMessageId(id);
    if (score === null) return null;
    const candidates = await this.ports.messages.messagesAtScore(roomId, score);
    for (const stored of candidates) {
      const message = decodeMessage(stored, roomId);
      if (message?.id === id) return message;
    }
    return null;
  }

  private async ownMessage(author: SessionUser, roomId: string, id: string, anyAuthor = false) {
    await this.ports.rooms.assertCanUseRoom(author, roomId);
    const found = await this.findStored(roomId, id);
    if (!found) throw notFound(`message ${id} does not exist in room ${roomId}`);
    if (found.message.from !== author.id && !anyAuthor) {
      throw new AppError('not_author', 'you can only change your own messages');
    }
    return found;
  }

  private async findStored(roomId: string, id: string) {
    const score = scoreOfMessageId(id);
    const candidates =
      score === null ? [] : await this.ports.messages.messagesAtScore(roomId, score);
    for (const stored of candidates) {
      const message = decodeMessage(stored, roomId);
      if (message?.id === id) return { stored, message };
    }
    return null;
  }

  private async replace(roomId: string, stored: StoredMessage, message: ChatMessage) {
    const replaced = await this.ports.messages.replace(roomId, stored, encodeMessage(message));
    if (!replaced) throw new AppError('conflict', 'the message changed meanwhile; try again');
  }
}
