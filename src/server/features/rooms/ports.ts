/**
 * What the room rules need: who is in which room (the seed's `user:{id}:rooms` sets), group
 * rooms, and, from other features, names, presence and each room's activity.
 */
import type { ChatMessage, RoomVisibility } from '../../../protocol/models.js';

export interface RoomStore {
  /** Ids of the rooms listed for the user (General may be missing for users of the seed). */
  roomIdsOf(userId: string): Promise<string[]>;
  isRoomMember(userId: string, roomId: string): Promise<boolean>;
  /** Whether the user is in each of the rooms, in one round trip. */
  areRoomMember(userId: string, roomIds: string[]): Promise<boolean[]>;
  /** Names of rooms; null for private rooms and rooms that do not exist. */
  roomNames(roomIds: string[]): Promise<(string | null)[]>;
  /** Adds a private room to both members' room sets. */
  addPrivateRoom(roomId: string, userA: string, userB: string): Promise<void>;
}

export interface GroupRoomInfo {
  id: string;
  name: string;
  visibility: RoomVisibility;
}

export interface GroupStore {
  /**
   * Creates a group room with its creator as first member; null when a public room's name has
   * the same skeleton (see nameSkeleton). A public room claims its skeleton, so that no other
   * public room can look like it; a private room claims nothing, so that its name neither
   * blocks nor reveals itself.
   */
  createGroupRoom(
    name: string,
    skeleton: string,
    visibility: RoomVisibility,
    creatorId: string,
  ): Promise<string | null>;
  /** Null for any room that is not a group room. */
  groupInfo(roomId: string): Promise<GroupRoomInfo | null>;
  /** Per room, the visibility of a group room; null for any other room. */
  visibilities(roomIds: string[]): Promise<(RoomVisibility | null)[]>;
  /** True when the user was not a member before. */
  addMember(roomId: string, userId: string): Promise<boolean>;
  /** True when the user was a member before. */
  removeMember(roomId: string, userId: string): Promise<boolean>;
  members(roomId: string): Promise<string[]>;
  isMember(roomId: string, userId: string): Promise<boolean>;
  memberCounts(roomIds: string[]): Promise<number[]>;
  /**
   * Drops a group room's info and members set (nobody may join it, nobody is in it), and its
   * claim on the name's skeleton when the claim is its own. Its name stays, for purgeKeys.
   */
  forgetGroup(roomId: string, skeleton: string): Promise<void>;
  /**
   * Deletes every key still named after the room (`room:<id>`, `room:<id>:*`, `{room:<id>}:*`),
   * found with SCAN: what the features keep about it that nothing else cleaned. Its name goes
   * last: from then on the room does not exist. Answers how many keys went.
   */
  purgeKeys(roomId: string): Promise<number>;
}

/**
 * The room directory's index: two sorted lists of text entries (see directory-index.ts), one of
 * whole names (to list every room once) and one of word starts (to search).
 */
export interface DirectoryStore {
  /** Lists a public room under these entries (adding one twice changes nothing). */
  list(entries: { name: string; words: string[] }): Promise<void>;
  /**
   * Up to `count` entries of one list that start with `prefix`, in order, after the entry
   * `after` (from the first when null). Costs the same however long the list is.
   */
  range(
    list: 'names' | 'words',
    prefix: string,
    after: string | null,
    count: number,
  ): Promise<string[]>;
  /** Takes a room out of the directory: `public_rooms` and these index entries. */
  unlist(roomId: string, entries: { name: string; words: string[] }): Promise<void>;
  /** Whether the index was built from the rooms that existed before it (once per database). */
  isBuilt(): Promise<boolean>;
  markBuilt(): Promise<void>;
  /** Every public room, a batch at a time: what the index is built from. */
  publicRooms(): AsyncIterable<GroupRoomInfo[]>;
}

/** What a room holds in other features: its messages, and what refers to them. */
export interface RoomContent {
  /**
   * Removes up to `pageSize` of the room's oldest messages, with what refers to them (search
   * entries, mentions, reactions, files: 'messages.removed'). Answers how many; fewer than
   * `pageSize`: the room holds none any more.
   */
  removeMessages(roomId: string, pageSize: number): Promise<number>;
}

/** A per-user counter (Redis): how often a user may do something that others see or keep. */
export interface UserLimiter {
  consume(userId: string): Promise<{ allowed: true } | { allowed: false; retryAfterS: number }>;
}

/** What users may multiply through rooms, counted per user over every instance. */
export interface RoomLimits {
  /** Group rooms created (ROOMS_PER_USER_PER_HOUR). */
  creations: UserLimiter;
  /** Invitations sent (INVITES_PER_USER_PER_MINUTE). */
  invites: UserLimiter;
}

/**
 * Who left which room lately: nobody may invite them back into it before the cooldown lapses
 * (INVITE_COOLDOWN_S), so a member cannot pull someone back in as soon as they leave.
 */
export interface InviteCooldowns {
  /** The user just left the room. */
  start(roomId: string, userId: string): Promise<void>;
  /** Seconds before the user may be invited into the room again; 0 when they may now. */
  secondsLeft(roomId: string, userId: string): Promise<number>;
  /** The user came back by themselves (a public room): the cooldown ends. */
  end(roomId: string, userId: string): Promise<void>;
}

/** The user directory (auth). */
export interface Users {
  usernames(userIds: string[]): Promise<(string | null)[]>;
  /** Ids of the first `limit` users ever registered. */
  firstUserIds(limit: number): Promise<string[]>;
}

/** Presence, for member lists. */
export interface OnlineStatus {
  areOnline(userIds: string[]): Promise<boolean[]>;
}

/** Where the user stands in one room (the reads feature). */
export interface UnreadState {
  unread: number;
  unreadMentions: number;
  lastReadId: string | null;
}

/** What the room list shows of each room: its newest message (messages) and unread counts (reads). */
export interface RoomActivity {
  newestMessages(roomIds: string[]): Promise<(ChatMessage | null)[]>;
  /**
   * Per room, the user's unread counts. Given the ids of the rooms' newest messages (still on
   * their way: the reads this needs first leave with them), a room whose newest message is not
   * after the user's marker is known to have nothing unread without counting.
   */
  unreadIn(
    userId: string,
    roomIds: string[],
    newestIds?: Promise<(string | null)[]>,
  ): Promise<UnreadState[]>;
}
