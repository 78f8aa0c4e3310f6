/**
 * The shapes that travel between server and client. They follow the seed's JSON (the Basic Redis
 * Chat App), so the seed's own client can read them; fields beyond the seed's are optional extras
 * that older clients ignore.
 */

/** The id of the room every user belongs to. */
export const GENERAL_ROOM_ID = '0';

/** A signed-in user as the session knows them (GET /me, POST /login). */
export interface SessionUser {
  id: string;
  username: string;
}

/** A user with their presence (GET /users, GET /users/online, user.connected/disconnected). */
export interface UserPresence extends SessionUser {
  online: boolean;
}

/** One chat message, as stored in the room's sorted set and as delivered to clients. */
export interface ChatMessage {
  /**
   * Unique id `<microseconds since epoch>-<suffix>`. The numeric part is the message's score in
   * the room's sorted set, which makes the id usable as a catch-up cursor (`?after=<id>`).
   * Messages written by the seed's servers carry no id; one is derived when they are read.
   */
  id: string;
  /** Author's user id, always taken from the author's session. */
  from: string;
  /** Unix time in seconds (server clock), as the seed's clients expect. */
  date: number;
  /** The text exactly as typed: never HTML-escaped in storage; clients render it as text. */
  message: string;
  roomId: string;
  /** Set once the author changed the text. */
  edited?: boolean;
  /** Set once the author deleted the message; its text is then empty. */
  deleted?: boolean;
  /** Ids of the users named with `@username` in the text. */
  mentions?: string[];
}

/** Who can find a group room: anyone (directory) or its members only (by invitation). */
export type RoomVisibility = 'public' | 'private';

/** What kind of room an id names: General, a private 1:1 room, or a group room. */
export type RoomKind = 'general' | 'direct' | 'group';

/** A room in a user's room list (GET /rooms/:userId, POST /room, show.room). */
export interface RoomSummary {
  id: string;
  /** The room's name, or for a private room the usernames of its two members. */
  names: string[];
  /** The fields below are this project's; the seed's client ignores them. */
  kind?: RoomKind;
  /** For group rooms. */
  visibility?: RoomVisibility;
  /** The newest message of the room, when it has one. */
  lastMessage?: ChatMessage;
  /** Messages after the user's read marker (their own excluded). */
  unread?: number;
  /** Of those, the ones that mention the user. */
  unreadMentions?: number;
  /** The last message the user has read, when any. */
  lastReadId?: string;
}

/** A public group room as listed in the directory (GET /rooms?search=). */
export interface DirectoryRoom {
  id: string;
  name: string;
  memberCount: number;
  /** Whether the caller is a member. */
  joined: boolean;
}

/** The read marker of one user in one room, sent to all of that user's tabs and devices. */
export interface ReadMarker {
  roomId: string;
  lastReadId: string;
}

/** Someone started or stopped typing in a room (never stored). */
export interface TypingNotice {
  roomId: string;
  userId: string;
  username: string;
  typing: boolean;
}

/** A user joined or left a group room. */
export interface RoomMembershipChange {
  roomId: string;
  user: SessionUser;
  joined: boolean;
}

/** GET /room/0/preload: General with its newest messages, newest first. */
export interface PreloadedRoom {
  id: string;
  name: string;
  messages: ChatMessage[];
}
