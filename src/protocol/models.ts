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
}

/** A room in a user's room list (GET /rooms/:userId, POST /room, show.room). */
export interface RoomSummary {
  id: string;
  /** The room's name, or for a private room the usernames of its two members. */
  names: string[];
  /** The newest message of the room, when it has one (not sent by the seed). */
  lastMessage?: ChatMessage;
}

/** GET /room/0/preload: General with its newest messages, newest first. */
export interface PreloadedRoom {
  id: string;
  name: string;
  messages: ChatMessage[];
}
