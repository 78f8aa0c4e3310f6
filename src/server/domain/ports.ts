/**
 * What the domain needs from the outside world, as interfaces. The Redis store implements them;
 * the domain never imports Redis or Socket.IO, so its rules read without storage details.
 */
import type { StoredMessage } from './message-codec.js';

export interface StoredUser {
  id: string;
  username: string;
  passwordHash: string;
}

export interface UserStore {
  findUserByName(username: string): Promise<StoredUser | null>;
  /** Creates the user unless the name is taken (then null): one user per name, even under races. */
  insertUser(username: string, passwordHash: string): Promise<StoredUser | null>;
  /** Usernames by id, null for ids with no user. */
  usernames(userIds: string[]): Promise<(string | null)[]>;
}

export interface RoomStore {
  roomIdsOf(userId: string): Promise<string[]>;
  isRoomMember(userId: string, roomId: string): Promise<boolean>;
  roomNames(roomIds: string[]): Promise<(string | null)[]>;
  /** Adds a private room to both members' room sets. */
  addPrivateRoom(roomId: string, userA: string, userB: string): Promise<void>;
}

export interface MessageStore {
  /**
   * Stores a message and, in the same round trip, publishes the seed envelope when one is given.
   * Answers how many messages the room holds afterwards.
   */
  appendMessage(
    roomId: string,
    encoded: string,
    score: number,
    seedEnvelope: string | null,
  ): Promise<{ roomSize: number }>;
  /** `size` messages starting `offset` from the newest, newest first. */
  readNewestFirst(roomId: string, offset: number, size: number): Promise<StoredMessage[]>;
  /** Up to `size` messages with a score of at least `minScore`, oldest first. */
  readFromScore(roomId: string, minScore: number, size: number): Promise<StoredMessage[]>;
  /** The newest message of each room, null for an empty room. */
  newestMessages(roomIds: string[]): Promise<(StoredMessage | null)[]>;
}

export interface PresenceStore {
  onlineUserIds(): Promise<string[]>;
  areOnline(userIds: string[]): Promise<boolean[]>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
}

export interface RateLimiter {
  /** Counts one event for `key`; answers the seconds to wait when the limit is already reached. */
  consume(key: string): Promise<{ allowed: true } | { allowed: false; retryAfterS: number }>;
  /** Seconds to wait before `key` may act again, or 0, without counting anything. */
  blockedFor(key: string): Promise<number>;
  reset(key: string): Promise<void>;
}
