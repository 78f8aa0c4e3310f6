/** What threads need: where replies are listed, and from other features rooms and messages. */
import type { ChatMessage, SessionUser } from '../../../protocol/models.js';

/** A thread's size and newest reply, as kept beside its replies. */
export interface StoredSummary {
  count: number;
  lastReplyId: string;
}

/** A reply as listed in its thread: its id and its score in the room. */
export interface ListedReply {
  id: string;
  score: number;
}

export interface ThreadStore {
  /** Lists a reply in a thread and answers the thread's summary afterwards (atomically). */
  addReply(
    roomId: string,
    parentId: string,
    replyId: string,
    score: number,
  ): Promise<StoredSummary>;
  /**
   * Messages removed for good (retention, a deleted room): the threads they began go. Removal
   * takes the oldest first and a reply is newer than its thread's first message, so a thread's
   * replies never outlive it in the store.
   */
  forget(roomId: string, messageIds: string[]): Promise<void>;
  /** How many replies a thread lists. */
  count(roomId: string, parentId: string): Promise<number>;
  /** Per message of a room, its thread's summary, or null when it has no replies. */
  summaries(roomId: string, messageIds: string[]): Promise<(StoredSummary | null)[]>;
  /**
   * Up to `size` replies scored at most `maxScore` (all when null), newest first; the caller drops
   * those at `maxScore` that are not before its cursor, so a few more may come back.
   */
  replies(
    roomId: string,
    parentId: string,
    maxScore: number | null,
    size: number,
  ): Promise<ListedReply[]>;
}

/** Who may read which room (the rooms feature). */
export interface RoomAccess {
  assertCanUseRoom(user: SessionUser, roomId: string): Promise<void>;
}

/** Stored messages (the messages feature); deleted ones too. */
export interface MessageLookup {
  findMessage(roomId: string, id: string): Promise<ChatMessage | null>;
}
