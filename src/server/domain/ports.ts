/**
 * What the domain needs from the outside world, as interfaces. The Redis store implements them;
 * the domain never imports Redis or Socket.IO, so its rules read without storage details.
 */
import type { RoomVisibility } from '../../protocol/models.js';
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
  /** The id of the user with this exact name, or null. */
  idOfUsername(username: string): Promise<string | null>;
  /** Ids of the first `limit` users ever registered (ids are handed out in order). */
  firstUserIds(limit: number): Promise<string[]>;
}

export interface RoomStore {
  roomIdsOf(userId: string): Promise<string[]>;
  isRoomMember(userId: string, roomId: string): Promise<boolean>;
  roomNames(roomIds: string[]): Promise<(string | null)[]>;
  /** Adds a private room to both members' room sets. */
  addPrivateRoom(roomId: string, userA: string, userB: string): Promise<void>;
}

/** A message to store if its author is under the send limit (see LimitedMessageStore). */
export interface LimitedAppend {
  authorId: string;
  roomId: string;
  messageId: string;
  encoded: string;
  score: number;
  /** A PUBLISH to send in the same transaction (the seed's envelope), or null. */
  alsoPublish: ExtraPublish | null;
}

export interface ExtraPublish {
  channel: string;
  message: string;
}

/**
 * Stores a message only when its author is under the per-user send limit: counts the send, then
 * stores the message, moves the author's read marker (writing in a room means having read it)
 * and publishes the seed envelope. Kept as one port so the store can do it in as few round trips
 * as its data layout allows.
 */
export interface LimitedMessageStore {
  appendWithinLimit(
    append: LimitedAppend,
  ): Promise<{ allowed: true; roomSize: number } | { allowed: false; retryAfterS: number }>;
}

export interface MessageStore {
  /**
   * Stores a message and, in the same round trip, sends the extra PUBLISH when one is given.
   * Answers how many messages the room holds afterwards.
   */
  appendMessage(
    roomId: string,
    encoded: string,
    score: number,
    alsoPublish: ExtraPublish | null,
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

export interface GroupRoomInfo {
  id: string;
  name: string;
  visibility: RoomVisibility;
}

export interface GroupStore {
  /** Creates a group room with its creator as first member; null when the name is taken. */
  createGroupRoom(
    name: string,
    visibility: RoomVisibility,
    creatorId: string,
  ): Promise<string | null>;
  /** Null for any room that is not a group room. */
  groupInfo(roomId: string): Promise<GroupRoomInfo | null>;
  /** True when the user was not a member before. */
  addMember(roomId: string, userId: string): Promise<boolean>;
  /** True when the user was a member before. */
  removeMember(roomId: string, userId: string): Promise<boolean>;
  members(roomId: string): Promise<string[]>;
  isMember(roomId: string, userId: string): Promise<boolean>;
  memberCounts(roomIds: string[]): Promise<number[]>;
  publicRoomIds(): Promise<string[]>;
}

export interface ReadStore {
  readMarkers(userId: string, roomIds: string[]): Promise<(string | null)[]>;
  setReadMarker(userId: string, roomId: string, messageId: string): Promise<void>;
  /** Messages in the room with a score above the given one. */
  countAfter(roomId: string, score: number): Promise<number>;
  mentionsAfter(roomId: string, userId: string, score: number): Promise<number>;
  addMentions(roomId: string, messageId: string, score: number, userIds: string[]): Promise<void>;
  removeMentions(roomId: string, messageId: string, userIds: string[]): Promise<void>;
  messagesAtScore(roomId: string, score: number): Promise<StoredMessage[]>;
  /** Swaps one stored member for another atomically; false when it was changed meanwhile. */
  replaceMessage(roomId: string, previous: StoredMessage, encoded: string): Promise<boolean>;
}
