/**
 * Socket.IO events, declared once for the server and the web client. The seed's event names are
 * kept as they are; new events follow the same `noun.verb` style.
 */
import type { ErrorCode } from './errors.js';
import type {
  ChatMessage,
  ReadMarker,
  RoomMembershipChange,
  RoomSummary,
  TypingNotice,
  UserPresence,
} from './models.js';
import type {
  DeleteMessagePayload,
  EditMessagePayload,
  SendMessagePayload,
  TypingPayload,
} from './schemas.js';

/** The answer to an acknowledged client event. */
export type AckResponse<T extends object = object> =
  ({ ok: true } & T) | { ok: false; error: { code: ErrorCode; message: string } };

/** The callback a client passes as the last argument of an event to learn its outcome. */
export type Ack<T extends object = object> = (response: AckResponse<T>) => void;

export interface ClientToServerEvents {
  /** Join the live feed of a room the user belongs to. Refused for rooms of other users. */
  'room.join': (roomId: string, ack?: Ack) => void;
  /** Post a message. The author and date come from the server, whatever the client sends. */
  message: (payload: SendMessagePayload, ack?: Ack<{ message: ChatMessage }>) => void;
  /** Change the text of one of your own messages. */
  'message.edit': (payload: EditMessagePayload, ack?: Ack<{ message: ChatMessage }>) => void;
  /** Delete one of your own messages (it stays as a "deleted" placeholder). */
  'message.delete': (payload: DeleteMessagePayload, ack?: Ack<{ message: ChatMessage }>) => void;
  /** Started (true) or stopped (false) typing in a room; at most one start every 2 s counts. */
  typing: (payload: TypingPayload, ack?: Ack) => void;
}

export interface ServerToClientEvents {
  /** A new message in one of the user's rooms. */
  message: (message: ChatMessage) => void;
  /** A user came online (their first connection on any instance). */
  'user.connected': (user: UserPresence) => void;
  /** A user went offline (their last connection closed). */
  'user.disconnected': (user: UserPresence) => void;
  /** A private room received its first message: sent to its two members. */
  'show.room': (room: RoomSummary) => void;
  /** A message was edited or deleted: replace it by id. */
  'message.updated': (message: ChatMessage) => void;
  /** Someone else is typing in one of the user's rooms, or stopped. */
  typing: (notice: TypingNotice) => void;
  /** The user read a room on some tab or device: every tab clears its unread count. */
  'room.read': (marker: ReadMarker) => void;
  /** A user joined or left a group room the user is in. */
  'room.member': (change: RoomMembershipChange) => void;
  /** The user left a room (on any tab): remove it from the list. */
  'hide.room': (room: { id: string }) => void;
  /**
   * Opt-in extension (handshake `auth: { messageBatch: true }`): the new messages of one General
   * or group room, oldest first, instead of one `message` event each. Never sent to a socket that
   * did not ask; see docs/performance.md.
   */
  'message.batch': (messages: ChatMessage[]) => void;
}

/** Messages between this project's server instances (through the Socket.IO Redis adapter). */
export interface InterServerEvents {
  /** Messages stored by the sending instance, oldest first, for the others' sockets. */
  'messages.relay': (messages: ChatMessage[]) => void;
}

/** What the server knows of a connected socket, taken from its HTTP session at the handshake. */
export interface SocketData {
  userId: string;
  username: string;
  /** The HTTP session the socket was opened with. */
  sessionId: string;
  /** When that session expires unless a request renews it (ms since the epoch). */
  sessionExpiresAtMs: number;
}

/**
 * The seed's envelope on the Redis `MESSAGES` channel, shared with the seed's servers in other
 * languages. `serverId` lets each server skip what it published itself.
 */
export interface SeedEnvelope {
  serverId: string | number;
  type: string;
  data: unknown;
}
