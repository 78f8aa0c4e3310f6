/**
 * Socket.IO events, declared once with their schemas: what a client may send (its payload and the
 * acknowledgement the server always answers with), and what the server sends. The server checks
 * every client payload against these schemas, the web client checks every server event and ack
 * against them, and GET /asyncapi.json is generated from them. The seed's event names are kept as
 * they are; new events follow the same `noun.verb` style.
 */
import { z } from 'zod';
import { ackErrorSchema, type ErrorCode } from './errors.js';
import {
  chatMessageSchema,
  hiddenRoomSchema,
  messageReactionsSchema,
  mutedRoomsSchema,
  peerReadMarkerSchema,
  readMarkerSchema,
  roomAnnouncementSchema,
  roomMembershipChangeSchema,
  threadSummarySchema,
  typingNoticeSchema,
  userPresenceSchema,
  type ChatMessage,
  type UserPresence,
} from './models.js';
import { roomIdSchema } from './room-ids.js';
import {
  deleteMessagePayloadSchema,
  editMessagePayloadSchema,
  reactionPayloadSchema,
  sendMessagePayloadSchema,
  typingPayloadSchema,
} from './schemas.js';

/** An event a client sends: its payload, and what a successful acknowledgement carries. */
export interface ClientEventDeclaration {
  summary: string;
  description?: string;
  payload: z.ZodType;
  /** The fields of `{ok: true, ...}`; a refusal is always `{ok: false, error: {code, message}}`. */
  ack: z.ZodObject;
}

/** An event the server sends. */
export interface ServerEventDeclaration {
  summary: string;
  description?: string;
  payload: z.ZodType;
}

const noFields = z.object({});
const withMessage = z.object({ message: chatMessageSchema });

export const clientEvents = {
  'room.join': {
    summary: 'Follow a room',
    description: 'Join the live feed of a room the user belongs to; refused for others’ rooms.',
    payload: roomIdSchema,
    ack: noFields,
  },
  message: {
    summary: 'Post a message',
    description:
      'The author and date come from the server, whatever the client sends (the seed’s client ' +
      'also sends `from` and `date`). The ack carries the stored message. A client may add its ' +
      'own `clientId` and keep it across retries: a retry after a lost ack stores and delivers ' +
      'nothing again, and its ack carries the message stored the first time. With `replyTo` ' +
      '(a message of the same room) it is a reply: it joins that message’s thread, or the ' +
      'thread that message is in, and its `replyTo` names the thread’s first message.',
    payload: sendMessagePayloadSchema,
    ack: withMessage,
  },
  'message.edit': {
    summary: 'Change the text of one of your messages',
    payload: editMessagePayloadSchema,
    ack: withMessage,
  },
  'message.delete': {
    summary: 'Delete one of your messages',
    description: 'It stays as a "deleted" placeholder.',
    payload: deleteMessagePayloadSchema,
    ack: withMessage,
  },
  typing: {
    summary: 'Started (true) or stopped (false) typing in a room',
    description: 'Never stored; at most one start every 2 s counts.',
    payload: typingPayloadSchema,
    ack: noFields,
  },

  // --- reactions -------------------------------------------------------------------------------
  'reaction.add': {
    summary: 'React to a message with an emoji',
    description:
      'On any message of a room the user may read. Adding one already there changes nothing. ' +
      'Refused with `limit_reached` past 20 different emoji on the message, and `rate_limited` ' +
      'past REACTIONS_PER_MINUTE changes. The ack carries the message’s reactions.',
    payload: reactionPayloadSchema,
    ack: z.object({ reactions: messageReactionsSchema }),
  },
  'reaction.remove': {
    summary: 'Take back your reaction',
    description: 'Counted like `reaction.add`; removing one that is not there changes nothing.',
    payload: reactionPayloadSchema,
    ack: z.object({ reactions: messageReactionsSchema }),
  },
} as const satisfies Record<string, ClientEventDeclaration>;

export const serverEvents = {
  message: {
    summary: 'A new message in one of the user’s rooms',
    payload: chatMessageSchema,
  },
  'message.batch': {
    summary: 'New messages of one General or group room, oldest first',
    description:
      'Opt-in (handshake `auth: {messageBatch: true}`): instead of one `message` event each. ' +
      'Never sent to a socket that did not ask.',
    payload: z.array(chatMessageSchema),
  },
  'message.updated': {
    summary: 'A message was edited or deleted: replace it by id',
    payload: chatMessageSchema,
  },
  'user.connected': {
    summary: 'A user came online (their first connection on any instance)',
    payload: userPresenceSchema,
  },
  'user.disconnected': {
    summary: 'A user went offline (their last connection closed)',
    description:
      'Sent once the user has had no connection for the grace period (PRESENCE_OFFLINE_GRACE_MS, ' +
      '5 s by default): a reload or a short network blip announces nothing.',
    payload: userPresenceSchema,
  },
  'user.presence': {
    summary: 'Users who came online or went offline in the last second, in order',
    description:
      'Opt-in (handshake `auth: {presenceBatch: true}`): instead of `user.connected` / ' +
      '`user.disconnected`, one event per second at most, a user at most once in it. A user ' +
      'whose last connection closes is announced offline only after a grace period (a reload ' +
      'or a network blip announces nothing).',
    payload: z.array(userPresenceSchema),
  },
  'show.room': {
    summary: 'A room to add to the list',
    description:
      'A private room’s first message (to its two members), or a group room the user created, ' +
      'joined or was invited to.',
    payload: roomAnnouncementSchema,
  },
  'hide.room': {
    summary: 'The user left a room (on any tab): remove it from the list',
    payload: hiddenRoomSchema,
  },
  'room.member': {
    summary: 'A user joined or left a group room the user is in',
    payload: roomMembershipChangeSchema,
  },
  'room.read': {
    summary: 'The user read a room on some tab or device',
    payload: readMarkerSchema,
  },
  'room.seen': {
    summary: 'The other member of a private room read it further',
    description:
      'Read receipts: to the other member only (every tab and device), when a read marker ' +
      'moves forward in a private room.',
    payload: peerReadMarkerSchema,
  },
  'rooms.muted': {
    summary: 'The user muted or unmuted a room (on any tab or device): the whole list',
    payload: mutedRoomsSchema,
  },
  typing: {
    summary: 'Someone else is typing in one of the user’s rooms, or stopped',
    description: 'Clients forget a start 5 s after it was last renewed.',
    payload: typingNoticeSchema,
  },

  // --- reactions -------------------------------------------------------------------------------
  'message.reactions': {
    summary: 'A message’s reactions changed: replace them',
    description: 'To the room’s audience on every instance, the reactor’s tabs included.',
    payload: messageReactionsSchema,
  },

  // --- threads ---------------------------------------------------------------------------------
  'message.thread': {
    summary: 'A thread got a reply: its first message’s reply count and newest reply',
    description:
      'To the room’s audience on every instance; it may come before the reply’s own `message`.',
    payload: threadSummarySchema,
  },
} as const satisfies Record<string, ServerEventDeclaration>;

export type ClientEvents = typeof clientEvents;
export type ServerEvents = typeof serverEvents;
export type ClientEventName = keyof ClientEvents;
export type ServerEventName = keyof ServerEvents;

/** A refused acknowledgement. */
export const ackRefusalSchema = z.object({ ok: z.literal(false), error: ackErrorSchema });

/** The schema of every answer to a client event: `{ok: true, ...fields}` or a refusal. */
export const ackResponseSchemaOf = (event: ClientEventName) =>
  z.discriminatedUnion('ok', [
    clientEvents[event].ack.extend({ ok: z.literal(true) }),
    ackRefusalSchema,
  ]);

/** The answer to an acknowledged client event. */
export type AckResponse<T extends object = object> =
  ({ ok: true } & T) | { ok: false; error: { code: ErrorCode; message: string } };

/** The callback a client passes as the last argument of an event to learn its outcome. */
export type Ack<T extends object = object> = (response: AckResponse<T>) => void;

/** What a client sends with an event (before the server's checks). */
export type ClientEventPayload<E extends ClientEventName> = z.input<ClientEvents[E]['payload']>;
/** A client event's payload once checked (what a server handler works with). */
export type CheckedClientEventPayload<E extends ClientEventName> = z.output<
  ClientEvents[E]['payload']
>;
/** The fields of a successful acknowledgement. */
export type AckFields<E extends ClientEventName> = z.output<ClientEvents[E]['ack']>;
/** What the server sends with an event. */
export type ServerEventPayload<E extends ServerEventName> = z.output<ServerEvents[E]['payload']>;

/**
 * The client→server events in Socket.IO's typed form: the ack is required, because the server
 * answers every event that comes with one. (The seed's client sends none; the server copes.)
 */
export type ClientToServerEvents = {
  [E in ClientEventName]: (payload: ClientEventPayload<E>, ack: Ack<AckFields<E>>) => void;
};

/** The server→client events in Socket.IO's typed form. */
export type ServerToClientEvents = {
  [E in ServerEventName]: (payload: ServerEventPayload<E>) => void;
};

/** Messages between this project's server instances (through the Socket.IO Redis adapter). */
export interface InterServerEvents {
  /** Messages stored by the sending instance, oldest first, for the others' sockets. */
  'messages.relay': (messages: ChatMessage[]) => void;
  /** Presence changes the sending instance decided in one window, for the others' sockets. */
  'presence.relay': (users: UserPresence[]) => void;
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

/** The handshake's `auth`: a client opts in to `message.batch` and `user.presence` events. */
export const handshakeAuthSchema = z.object({
  messageBatch: z.boolean().optional(),
  presenceBatch: z.boolean().optional(),
});

/**
 * The seed's envelope on the Redis `MESSAGES` channel, shared with the seed's servers in other
 * languages. `serverId` lets each server skip what it published itself.
 */
export interface SeedEnvelope {
  serverId: string | number;
  type: string;
  data: unknown;
}
