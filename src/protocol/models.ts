/**
 * The shapes that travel between server and client, as zod schemas: the server's answers are
 * serialized through them and the web client checks what arrives against them. They follow the
 * seed's JSON (the Basic Redis Chat App), so the seed's own client can read them; fields beyond the
 * seed's are optional extras that older clients ignore. The `id` in `.meta()` names each shape in
 * the generated API documents (/openapi.json, /asyncapi.json).
 */
import { z } from 'zod';
import { fileRefSchema } from './files.js';

/** The id of the room every user belongs to. */
export const GENERAL_ROOM_ID = '0';

/** A signed-in user as the session knows them (GET /me, POST /login). */
export const sessionUserSchema = z
  .object({ id: z.string(), username: z.string() })
  .meta({ id: 'SessionUser', description: 'A user: their id (decimal) and name.' });
export type SessionUser = z.infer<typeof sessionUserSchema>;

/** The signed-in user as GET /me and POST /login answer: with their role. */
export const currentUserSchema = sessionUserSchema
  .extend({
    admin: z.boolean(),
    /**
     * True while the password is one an operator reset (`npm run admin -- reset-password`):
     * the client asks for a new one (POST /me/password) before anything else. Absent otherwise.
     */
    mustChangePassword: z.boolean().optional(),
  })
  .meta({
    id: 'CurrentUser',
    description:
      'The signed-in user, whether they administer, and whether they must change their password first.',
  });
export type CurrentUser = z.infer<typeof currentUserSchema>;

/** A user with their presence (GET /users, GET /users/online, user.connected/disconnected). */
export const userPresenceSchema = sessionUserSchema
  .extend({ online: z.boolean() })
  .meta({ id: 'UserPresence', description: 'A user, and whether they are online.' });
export type UserPresence = z.infer<typeof userPresenceSchema>;

/** Users keyed by their id (GET /users, GET /users/online). */
export const usersByIdSchema = z
  .record(z.string(), userPresenceSchema)
  .meta({ id: 'UsersById', description: 'Users keyed by id.' });
export type UsersById = z.infer<typeof usersByIdSchema>;

/** One chat message, as stored in the room's sorted set and as delivered to clients. */
export const chatMessageSchema = z
  .object({
    /**
     * Unique id `<microseconds since epoch>-<suffix>`. The numeric part is the message's score in
     * the room's sorted set, which makes the id usable as a catch-up cursor (`?after=<id>`).
     * Messages written by the seed's servers carry no id; one is derived when they are read.
     */
    id: z.string().meta({ description: 'Unique id `<microseconds>-<suffix>`; a catch-up cursor.' }),
    /** Author's user id, always taken from the author's session. */
    from: z.string().meta({ description: "The author's user id (from the session)." }),
    /** Unix time in seconds (server clock), as the seed's clients expect. */
    date: z.number().meta({ description: 'Unix time in seconds, server clock.' }),
    /** The text exactly as typed: never HTML-escaped in storage; clients render it as text. */
    message: z.string().meta({ description: 'The text as typed (empty once deleted).' }),
    roomId: z.string(),
    /** Set once the author changed the text. */
    edited: z.boolean().optional(),
    /** Set once the author deleted the message; its text is then empty. */
    deleted: z.boolean().optional(),
    /** Ids of the users named with `@username` in the text. */
    mentions: z.array(z.string()).optional(),
    /** A reply: the id of the message whose thread it is in (a thread's first message). */
    replyTo: z
      .string()
      .optional()
      .meta({ description: 'A reply: the id of the first message of its thread.' }),
    /** Files attached when it was sent (dropped when it is deleted, with the files). */
    files: z.array(fileRefSchema).optional(),
    /** A thread's first message, in history: how many replies it has. Never stored. */
    replyCount: z.number().int().nonnegative().optional(),
    /** With replyCount: the id of the newest reply (its time is in the id, see lastReplyAt). */
    lastReplyId: z.string().optional(),
    /** With replyCount: when the newest reply was sent, Unix seconds. */
    lastReplyAt: z.number().optional(),
  })
  .meta({ id: 'ChatMessage', description: 'A chat message.' });
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/** Who can find a group room: anyone (directory) or its members only (by invitation). */
export const roomVisibilitySchema = z.enum(['public', 'private']);
export type RoomVisibility = z.infer<typeof roomVisibilitySchema>;

/** What kind of room an id names: General, a private 1:1 room, or a group room. */
export const roomKindSchema = z.enum(['general', 'direct', 'group']);
export type RoomKind = z.infer<typeof roomKindSchema>;

/**
 * A room as `show.room` announces it: the seed's `{id, names}` and this project's kind and
 * visibility. The list's activity fields (below) are not part of an announcement.
 */
export const roomAnnouncementSchema = z
  .object({
    id: z.string(),
    /** The room's name, or for a private room the usernames of its two members. */
    names: z.array(z.string()),
    /** The fields below are this project's; the seed's client ignores them. */
    kind: roomKindSchema.optional(),
    /** For group rooms. */
    visibility: roomVisibilitySchema.optional(),
  })
  .meta({
    id: 'RoomAnnouncement',
    description: 'A room by id and names (a private room: its two members), with its kind.',
  });
export type RoomAnnouncement = z.infer<typeof roomAnnouncementSchema>;

/** A room in a user's room list (GET /rooms/:userId, POST /room, show.room). */
export const roomSummarySchema = roomAnnouncementSchema
  .extend({
    /** The newest message of the room, when it has one. */
    lastMessage: chatMessageSchema.optional(),
    /** Messages after the user's read marker (their own excluded). */
    unread: z.number().int().nonnegative().optional(),
    /** Of those, the ones that mention the user. */
    unreadMentions: z.number().int().nonnegative().optional(),
    /** The last message the user has read, when any. */
    lastReadId: z.string().optional(),
  })
  .meta({
    id: 'RoomSummary',
    description: 'A room in the caller’s list, with its newest message and unread counts.',
  });
export type RoomSummary = z.infer<typeof roomSummarySchema>;

/** A public group room as listed in the directory (GET /rooms?search=). */
export const directoryRoomSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    memberCount: z.number().int().nonnegative(),
    /** Whether the caller is a member. */
    joined: z.boolean(),
  })
  .meta({ id: 'DirectoryRoom', description: 'A public group room in the directory.' });
export type DirectoryRoom = z.infer<typeof directoryRoomSchema>;

/** A page of the directory, and the cursor of the next one. */
export const directoryPageSchema = z
  .object({
    rooms: z.array(directoryRoomSchema),
    /** `after` for the next page of the same search; null on the last page. */
    next: z.string().nullable(),
  })
  .meta({ id: 'DirectoryPage', description: 'Public rooms in name order, a page at a time.' });
export type DirectoryPage = z.infer<typeof directoryPageSchema>;

/** The read marker of one user in one room, sent to all of that user's tabs and devices. */
export const readMarkerSchema = z
  .object({ roomId: z.string(), lastReadId: z.string() })
  .meta({ id: 'ReadMarker', description: 'The last message a user has read in a room.' });
export type ReadMarker = z.infer<typeof readMarkerSchema>;

/**
 * How far the other member of a private room has read it (room.seen, GET /room/:id/seen): the
 * "Seen" under the last message they read. Null while they have read nothing.
 */
export const peerReadMarkerSchema = z
  .object({ roomId: z.string(), userId: z.string(), lastReadId: z.string().nullable() })
  .meta({
    id: 'PeerReadMarker',
    description: 'The last message the other member of a private room has read.',
  });
export type PeerReadMarker = z.infer<typeof peerReadMarkerSchema>;

/** Someone started or stopped typing in a room (never stored). */
export const typingNoticeSchema = z
  .object({ roomId: z.string(), userId: z.string(), username: z.string(), typing: z.boolean() })
  .meta({ id: 'TypingNotice', description: 'Someone started (true) or stopped typing.' });
export type TypingNotice = z.infer<typeof typingNoticeSchema>;

/** A user joined or left a group room. */
export const roomMembershipChangeSchema = z
  .object({ roomId: z.string(), user: sessionUserSchema, joined: z.boolean() })
  .meta({ id: 'RoomMembershipChange', description: 'A user joined or left a group room.' });
export type RoomMembershipChange = z.infer<typeof roomMembershipChangeSchema>;

/** A room the user no longer has (hide.room). */
export const hiddenRoomSchema = z
  .object({ id: z.string() })
  .meta({ id: 'HiddenRoom', description: 'A room to remove from the list.' });
export type HiddenRoom = z.infer<typeof hiddenRoomSchema>;

/** GET /room/0/preload: General with its newest messages, newest first. */
export const preloadedRoomSchema = z
  .object({ id: z.string(), name: z.string(), messages: z.array(chatMessageSchema) })
  .meta({ id: 'PreloadedRoom', description: 'General with its newest messages, newest first.' });
export type PreloadedRoom = z.infer<typeof preloadedRoomSchema>;

// --- reactions ---------------------------------------------------------------------------------

/** One emoji on a message and who put it there, first reactor first. */
export const reactionSchema = z
  .object({ emoji: z.string(), userIds: z.array(z.string()) })
  .meta({ id: 'Reaction', description: 'An emoji on a message and the ids of who reacted.' });
export type Reaction = z.infer<typeof reactionSchema>;

/** Every reaction of one message, in the order each emoji was first used (message.reactions). */
export const messageReactionsSchema = z
  .object({ roomId: z.string(), messageId: z.string(), reactions: z.array(reactionSchema) })
  .meta({ id: 'MessageReactions', description: 'The reactions of one message.' });
export type MessageReactions = z.infer<typeof messageReactionsSchema>;

// --- threads -----------------------------------------------------------------------------------

/** A thread's size and newest reply, as its first message carries them (message.thread). */
export const threadSummarySchema = z
  .object({
    roomId: z.string(),
    /** The thread's first message. */
    messageId: z.string(),
    replyCount: z.number().int().nonnegative(),
    lastReplyId: z.string(),
    /** Unix seconds. */
    lastReplyAt: z.number(),
  })
  .meta({ id: 'ThreadSummary', description: 'How many replies a message has, and the newest.' });
export type ThreadSummary = z.infer<typeof threadSummarySchema>;

/** GET /room/:id/thread/:messageId: a thread's first message and a page of its replies. */
export const threadPageSchema = z
  .object({
    /** Null when the first message is no longer stored (trimmed by retention). */
    parent: chatMessageSchema.nullable(),
    /** Oldest first. */
    replies: z.array(chatMessageSchema),
    /** Older replies exist: ask again with `before` the first reply's id. */
    hasOlder: z.boolean(),
  })
  .meta({ id: 'ThreadPage', description: 'A thread’s first message and replies, oldest first.' });
export type ThreadPage = z.infer<typeof threadPageSchema>;

// --- mutes -------------------------------------------------------------------------------------

/** The rooms a user muted (GET /me/muted, rooms.muted): they count unread but do not notify. */
export const mutedRoomsSchema = z
  .object({ roomIds: z.array(z.string()) })
  .meta({ id: 'MutedRooms', description: 'The ids of the rooms the user muted, sorted.' });
export type MutedRooms = z.infer<typeof mutedRoomsSchema>;
