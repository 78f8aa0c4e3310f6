/** What reactions need: where they are kept, a limit on changes, and from other features rooms and messages. */
import type { ChatMessage, Reaction, SessionUser } from '../../../protocol/models.js';

/** What a change did: the message's reactions afterwards, or a refusal by the distinct-emoji cap. */
export type ReactionChange =
  { outcome: 'changed' | 'unchanged'; reactions: Reaction[] } | { outcome: 'too_many' };

export interface ReactionStore {
  /** Forgets the reactions of messages that are gone for good. */
  forget(roomId: string, messageIds: string[]): Promise<void>;
  /**
   * Adds the user to an emoji's reactors, atomically refusing a new emoji when the message has
   * `maxDistinct` already.
   */
  add(
    roomId: string,
    messageId: string,
    userId: string,
    emoji: string,
    maxDistinct: number,
  ): Promise<ReactionChange>;
  /** Takes the user off an emoji's reactors; an emoji nobody is left on goes. */
  remove(roomId: string, messageId: string, userId: string, emoji: string): Promise<ReactionChange>;
  /** Each message's reactions, in the order asked. */
  read(roomId: string, messageIds: string[]): Promise<Reaction[][]>;
}

/** The per-user limit on reaction changes, counted where every instance sees it. */
export interface ChangeLimiter {
  consume(userId: string): Promise<{ allowed: true } | { allowed: false; retryAfterS: number }>;
}

/** Who may read which room (the rooms feature). */
export interface RoomAccess {
  assertCanUseRoom(user: SessionUser, roomId: string): Promise<void>;
}

/** Stored messages (the messages feature). */
export interface MessageLookup {
  findMessage(roomId: string, id: string): Promise<ChatMessage | null>;
}
