/**
 * What posting and reading messages need: the rooms' sorted sets (the seed's `room:{id}`), a
 * send limit, and from other features, room access, mentions and the author's read marker.
 */
import type { FileRef } from '../../../protocol/files.js';
import type { ChatMessage, RoomSummary, SessionUser } from '../../../protocol/models.js';
import type { StoredMessage } from './message-codec.js';

/** A PUBLISH to send in the same transaction as the message it announces (see interop/). */
export interface ExtraPublish {
  channel: string;
  message: string;
}

/** A send the client named with its own id, so that a retry of it is recognized. */
export interface SendOnce {
  authorId: string;
  clientId: string;
  /** The id of the message being stored, which a retry is answered with. */
  messageId: string;
  /** How long a retry is recognized. */
  retryWindowMs: number;
}

export interface MessageStore {
  /**
   * Stores a message and, in the same round trip, sends the extra PUBLISH when one is given.
   * Answers how many messages the room holds afterwards.
   */
  append(
    roomId: string,
    encoded: string,
    score: number,
    alsoPublish: ExtraPublish | null,
  ): Promise<{ roomSize: number }>;
  /**
   * Stores a message at most once per (author, client id) within the retry window, as append
   * does; when the author already stored one under this client id, stores and publishes nothing
   * and answers that message's id.
   */
  appendOnce(
    roomId: string,
    encoded: string,
    score: number,
    alsoPublish: ExtraPublish | null,
    once: SendOnce,
  ): Promise<{ stored: true; roomSize: number } | { stored: false; messageId: string }>;
  /** `size` messages starting `offset` from the newest, newest first. */
  readNewestFirst(roomId: string, offset: number, size: number): Promise<StoredMessage[]>;
  /** Up to `size` messages with a score of at least `minScore`, oldest first. */
  readFromScore(
    roomId: string,
    minScore: number,
    size: number,
    /** Messages at or above `minScore` to pass over first (paging through equal scores). */
    skip?: number,
  ): Promise<StoredMessage[]>;
  /** Up to `size` messages with a score of at most `maxScore`, newest first. */
  readToScore(roomId: string, maxScore: number, size: number): Promise<StoredMessage[]>;
  /** The newest message of each room, null for an empty room. */
  newestMessages(roomIds: string[]): Promise<(StoredMessage | null)[]>;
  /** The messages stored with exactly this score. */
  messagesAtScore(roomId: string, score: number): Promise<StoredMessage[]>;
  /** How many messages the room holds. */
  count(roomId: string): Promise<number>;
  /** Takes these stored messages out of the room; answers how many were still there. */
  remove(roomId: string, stored: StoredMessage[]): Promise<number>;
  /** Swaps one stored message for another atomically; false when it was changed meanwhile. */
  replace(roomId: string, previous: StoredMessage, encoded: string): Promise<boolean>;
}

export type SendOutcome = { allowed: true } | { allowed: false; retryAfterS: number };

/** The per-user send limit, counted where every instance sees it. */
export interface SendLimiter {
  /** Counts one send; answers the seconds to wait when the author is over the limit. */
  consume(authorId: string): Promise<SendOutcome>;
}

/** The message send limit, which may admit a send before its count is back. */
export interface MessageSendLimiter extends SendLimiter {
  /**
   * Counts one send; answers at once (not a promise) when the send may be stored without
   * waiting for the count, so that the count leaves with the store.
   */
  admit(authorId: string): SendOutcome | Promise<SendOutcome>;
}

/** Rooms (the rooms feature). */
export interface RoomAccess {
  assertCanUseRoom(user: SessionUser, roomId: string): Promise<void>;
  roomName(roomId: string): Promise<string | null>;
  /** A private room's first message: both members list it; null for other rooms. */
  privateRoomStarted(roomId: string): Promise<RoomSummary | null>;
}

/** Mentions (the mentions feature). */
export interface Mentions {
  resolve(roomId: string, text: string): Promise<string[]>;
  index: {
    add(roomId: string, messageId: string, score: number, userIds: string[]): Promise<void>;
    remove(roomId: string, messageId: string, userIds: string[]): Promise<void>;
  };
}

/** The author's read marker (the reads feature); issued at once, so it leaves with the store. */
export interface AuthorReadMarker {
  authorWrote(userId: string, roomId: string, messageId: string): Promise<void>;
}

/** Files (the files feature): a new message's uploads, attached to it. */
export interface Attachments {
  /**
   * The author's waiting uploads in the room, attached to the message; refused when one is not.
   * `retry`: the send carries a client id, so files attached already may be the same send's
   * (a retry after a lost ack), which the store then answers with the earlier message.
   */
  attach(
    author: SessionUser,
    roomId: string,
    fileIds: readonly string[],
    messageId: string,
    retry: boolean,
  ): Promise<FileRef[]>;
}

/** Threads (the threads feature): where a reply goes, and each thread's size in history. */
export interface Threads {
  /** The id of the thread's first message a reply to `replyTo` joins; refused when it cannot. */
  threadOf(roomId: string, replyTo: string): Promise<string>;
  withSummaries(roomId: string, messages: ChatMessage[]): Promise<ChatMessage[]>;
}

/** Administrators (the moderation feature): they may delete anyone's message. */
export interface Moderators {
  isAdmin(user: SessionUser): boolean;
}
