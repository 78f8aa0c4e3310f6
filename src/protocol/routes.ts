/**
 * The HTTP API, declared once: each route's method, path, input schemas, answers and refusals.
 * The server registers exactly these routes (features/<feature>/http-routes.ts implements one
 * entry each), the web client calls them through core/transport/http.ts, and GET /openapi.json is
 * generated from this table. Paths, field names, statuses and bodies are the seed's where the seed
 * has the route.
 */
import { z } from 'zod';
import {
  chatMessageSchema,
  messageReactionsSchema,
  directoryPageSchema,
  preloadedRoomSchema,
  mutedRoomsSchema,
  peerReadMarkerSchema,
  readMarkerSchema,
  roomSummarySchema,
  threadPageSchema,
  currentUserSchema,
  userPresenceSchema,
  usersByIdSchema,
} from './models.js';
import { fileParamsSchema, fileRefSchema, uploadQuerySchema } from './files.js';
import { type RouteDeclaration, bytes, json, noContent, text } from './route-table.js';
import { searchPageSchema, searchQuerySchema } from './search.js';
import {
  createGroupRoomBodySchema,
  createPrivateRoomBodySchema,
  directoryQuerySchema,
  changePasswordBodySchema,
  inviteBodySchema,
  loginBodySchema,
  messagesQuerySchema,
  readMarkerBodySchema,
  reactionsQuerySchema,
  roomParamsSchema,
  threadParamsSchema,
  threadQuerySchema,
  userParamsSchema,
  usersQuerySchema,
} from './schemas.js';

const healthSchema = z.object({ status: z.literal('ok') });

export const routes = {
  // --- auth ------------------------------------------------------------------------------------
  me: {
    method: 'GET',
    path: '/me',
    tag: 'auth',
    summary: 'The signed-in user',
    description: 'How a client learns whether its session is signed in.',
    session: false,
    ok: { 200: json(currentUserSchema.nullable(), 'The session’s user, or null.') },
  },
  login: {
    method: 'POST',
    path: '/login',
    tag: 'auth',
    summary: 'Sign in, or register a new name',
    description:
      'Signs in, or registers a username that does not exist yet. A new session id at every ' +
      'sign-in. Failed attempts are limited per address and per username. Names are one name ' +
      'ignoring case: a name that differs from a taken one by case only signs in to it with ' +
      'its password, and is otherwise refused as taken (409).',
    session: false,
    body: loginBodySchema,
    ok: {
      200: json(currentUserSchema, 'Signed in.'),
      201: json(currentUserSchema, 'Registered and signed in.'),
    },
    refusals: ['invalid_credentials', 'conflict', 'rate_limited', 'banned'],
  },
  logout: {
    method: 'POST',
    path: '/logout',
    tag: 'auth',
    summary: 'Sign out',
    session: true,
    beforePasswordChange: true,
    ok: { 204: noContent('Signed out; the session is destroyed.') },
  },
  logoutAll: {
    method: 'POST',
    path: '/logout/all',
    tag: 'auth',
    summary: 'Sign out everywhere',
    description:
      'Ends every session of the caller, this one included: their sockets and `/stream` close ' +
      'on every instance.',
    session: true,
    beforePasswordChange: true,
    ok: { 204: noContent('Every session of the user has ended.') },
  },
  changePassword: {
    method: 'POST',
    path: '/me/password',
    tag: 'auth',
    summary: 'Change the password',
    description:
      'Needs the current password (wrong ones count as failed sign-ins). Ends every other ' +
      'session of the caller, with their sockets and streams; this one stays signed in. ' +
      'Changes per user and hour are limited (PASSWORD_CHANGES_PER_HOUR).',
    session: true,
    beforePasswordChange: true,
    body: changePasswordBodySchema,
    ok: { 204: noContent('Changed; the other sessions have ended.') },
    refusals: ['invalid_credentials', 'rate_limited'],
  },
  randomName: {
    method: 'GET',
    path: '/randomname',
    tag: 'auth',
    summary: 'A free username',
    description: 'A valid username nobody has, to prefill the sign-in form with.',
    session: false,
    ok: { 200: text('text/plain', 'The name, as plain text.') },
  },

  // --- presence --------------------------------------------------------------------------------
  onlineUsers: {
    method: 'GET',
    path: '/users/online',
    tag: 'presence',
    summary: 'Who is online',
    session: true,
    ok: { 200: json(usersByIdSchema, 'The users with an open connection, keyed by id.') },
  },
  users: {
    method: 'GET',
    path: '/users',
    tag: 'presence',
    summary: 'Users by id',
    description: '`?ids[]=1&ids[]=2`: unknown ids are left out.',
    session: true,
    query: usersQuerySchema,
    ok: { 200: json(usersByIdSchema, 'The users that exist, keyed by id, with presence.') },
  },

  // --- rooms -----------------------------------------------------------------------------------
  roomsOf: {
    method: 'GET',
    path: '/rooms/:userId',
    tag: 'rooms',
    summary: 'The caller’s rooms',
    description:
      'Each with its newest message and unread counts. Only your own id: another user’s list ' +
      'is refused.',
    session: true,
    params: z.object({ userId: z.string() }),
    ok: { 200: json(z.array(roomSummarySchema), 'The rooms, General first.') },
    refusals: ['forbidden'],
  },
  openPrivateRoom: {
    method: 'POST',
    path: '/room',
    tag: 'rooms',
    summary: 'Open a private room',
    description: 'The private room between the caller and another user (idempotent).',
    session: true,
    body: createPrivateRoomBodySchema,
    ok: { 201: json(roomSummarySchema, 'The room, named by its two members.') },
    refusals: ['forbidden', 'not_found'],
  },
  createRoom: {
    method: 'POST',
    path: '/rooms',
    tag: 'rooms',
    summary: 'Create a group room',
    description:
      'Public (in the directory) by default, or private (by invitation), with the caller as ' +
      'its first member. Names are stored in NFC; no public room may look like another (same ' +
      'name ignoring case, full-width forms and invisible characters), nor any room like ' +
      'General; a private room claims no name. Control characters, bidirectional overrides ' +
      'and names of nothing visible are refused, each with its own code.',
    session: true,
    body: createGroupRoomBodySchema,
    ok: { 201: json(roomSummarySchema, 'The new room.') },
    refusals: ['conflict', 'control_characters', 'bidi_controls', 'invisible_text', 'rate_limited'],
  },
  directory: {
    method: 'GET',
    path: '/rooms',
    tag: 'rooms',
    summary: 'The directory of public rooms',
    description:
      'Public group rooms with a word of their name starting with `search` (ignoring case; ' +
      '`des` finds "Design" and "UX design", not "undesigned"), read from an index: a page ' +
      'costs the same however many rooms there are. Ordered by the matching text; `next` is ' +
      'the `after` of the next page.',
    session: true,
    query: directoryQuerySchema,
    ok: { 200: json(directoryPageSchema, 'A page of matching rooms.') },
  },
  joinRoom: {
    method: 'POST',
    path: '/room/:id/join',
    tag: 'rooms',
    summary: 'Join a public group room',
    description: 'A private room answers 404 to outsiders.',
    session: true,
    params: roomParamsSchema,
    ok: { 200: json(roomSummarySchema, 'The room joined (or already joined).') },
    refusals: ['not_found'],
  },
  leaveRoom: {
    method: 'POST',
    path: '/room/:id/leave',
    tag: 'rooms',
    summary: 'Leave a group room',
    description: 'General and private rooms cannot be left.',
    session: true,
    params: roomParamsSchema,
    ok: { 204: noContent('Left; every tab of the caller drops the room.') },
    refusals: ['not_member', 'not_found'],
  },
  invite: {
    method: 'POST',
    path: '/room/:id/invite',
    tag: 'rooms',
    summary: 'Add a user to a group room',
    description:
      'A member adds another user: the only way into a private room. A user who left the room ' +
      'cannot be invited back into it for INVITE_COOLDOWN_S (409 `recently_left`, with ' +
      'Retry-After); invitations are counted per user (INVITES_PER_USER_PER_MINUTE).',
    session: true,
    params: roomParamsSchema,
    body: inviteBodySchema,
    ok: { 200: json(roomSummarySchema, 'The room.') },
    refusals: ['not_member', 'not_found', 'recently_left', 'rate_limited'],
  },
  members: {
    method: 'GET',
    path: '/room/:id/members',
    tag: 'rooms',
    summary: 'Members of a room',
    description: 'With their presence, sorted by name (for General, the first 500 users).',
    session: true,
    params: roomParamsSchema,
    ok: { 200: json(z.array(userPresenceSchema), 'The members.') },
    refusals: ['forbidden', 'not_member', 'not_found'],
  },

  // --- messages --------------------------------------------------------------------------------
  preloadGeneral: {
    method: 'GET',
    path: '/room/0/preload',
    tag: 'messages',
    summary: 'General and its newest messages',
    session: true,
    ok: { 200: json(preloadedRoomSchema, 'General with its newest messages, newest first.') },
  },
  messages: {
    method: 'GET',
    path: '/room/:id/messages',
    tag: 'messages',
    summary: 'A page of a room’s messages',
    description:
      '`?offset&size`: a page counted from the newest, newest first (the seed’s API). ' +
      '`?after=<message id>&size`: the messages after that one, oldest first, for catching up ' +
      'after a reconnect. `?around=<message id>&size`: the message and those around it (half ' +
      'older, half newer), newest first, to show a message in context.',
    session: true,
    params: roomParamsSchema,
    query: messagesQuerySchema,
    ok: { 200: json(z.array(chatMessageSchema), 'The messages.') },
    refusals: ['forbidden', 'not_member', 'not_found'],
  },

  // --- reads -----------------------------------------------------------------------------------
  markRead: {
    method: 'POST',
    path: '/room/:id/read',
    tag: 'reads',
    summary: 'Move the read marker',
    description:
      'Forward to that message, never back. Every tab and device of the caller is told ' +
      '(`room.read`).',
    session: true,
    params: roomParamsSchema,
    body: readMarkerBodySchema,
    ok: { 200: json(readMarkerSchema, 'The caller’s read marker in the room.') },
    refusals: ['forbidden', 'not_member', 'not_found'],
  },

  seenBy: {
    method: 'GET',
    path: '/room/:id/seen',
    tag: 'reads',
    summary: 'How far the other member has read a private room',
    description:
      'Read receipts: the read marker of the other member of a private room (null while they ' +
      'have read nothing), live afterwards as `room.seen`. Only for private rooms.',
    session: true,
    params: roomParamsSchema,
    ok: { 200: json(peerReadMarkerSchema, 'The other member’s read marker.') },
    refusals: ['forbidden', 'not_found'],
  },

  // --- mutes ----------------------------------------------------------------------------------
  mutedRooms: {
    method: 'GET',
    path: '/me/muted',
    tag: 'mutes',
    summary: 'The rooms the caller muted',
    description: 'Muted rooms count unread messages but do not notify, on any device.',
    session: true,
    ok: { 200: json(mutedRoomsSchema, 'The muted rooms.') },
  },
  muteRoom: {
    method: 'POST',
    path: '/room/:id/mute',
    tag: 'mutes',
    summary: 'Mute a room',
    description:
      'A room the caller is in. Every tab and device of the caller is told (`rooms.muted`). ' +
      'Changes per user are limited (MUTE_CHANGES_PER_MINUTE).',
    session: true,
    params: roomParamsSchema,
    ok: { 200: json(mutedRoomsSchema, 'The muted rooms afterwards.') },
    refusals: ['not_member', 'not_found', 'rate_limited'],
  },
  unmuteRoom: {
    method: 'POST',
    path: '/room/:id/unmute',
    tag: 'mutes',
    summary: 'Unmute a room',
    description: 'Counted and told like muting; unmuting a room that is not muted changes nothing.',
    session: true,
    params: roomParamsSchema,
    ok: { 200: json(mutedRoomsSchema, 'The muted rooms afterwards.') },
    refusals: ['rate_limited'],
  },

  // --- search ----------------------------------------------------------------------------------
  search: {
    method: 'GET',
    path: '/search',
    tag: 'search',
    summary: 'Search messages',
    description:
      '`?q=words&roomId=&before=&size=`: the messages containing every word of `q` (ignoring ' +
      'case and accents of compatibility forms; words of one letter are ignored), newest first, ' +
      'in one room or in all the caller can read. `next` is the `before` of the next page. ' +
      'Searches per user are limited.',
    session: true,
    query: searchQuerySchema,
    ok: { 200: json(searchPageSchema, 'A page of hits, newest first.') },
    refusals: ['forbidden', 'not_member', 'not_found', 'rate_limited'],
  },

  // --- reactions -------------------------------------------------------------------------------
  reactions: {
    method: 'GET',
    path: '/room/:id/reactions',
    tag: 'reactions',
    summary: 'Reactions of some messages',
    description:
      '`?ids[]=<message id>&ids[]=…` (at most 100): each message’s reactions, in the order asked. ' +
      'Adding and removing are socket events (`reaction.add`, `reaction.remove`).',
    session: true,
    params: roomParamsSchema,
    query: reactionsQuerySchema,
    ok: { 200: json(z.array(messageReactionsSchema), 'The reactions, one entry per id.') },
    refusals: ['forbidden', 'not_member', 'not_found'],
  },

  // --- threads ---------------------------------------------------------------------------------
  thread: {
    method: 'GET',
    path: '/room/:id/thread/:messageId',
    tag: 'threads',
    summary: 'A thread: its first message and replies',
    description:
      '`?before=<reply id>&size=` (1–100, default 50): the newest replies, or those before a ' +
      'known one, oldest first. Replying is sending a `message` with `replyTo`.',
    session: true,
    params: threadParamsSchema,
    query: threadQuerySchema,
    ok: { 200: json(threadPageSchema, 'The first message and a page of replies.') },
    refusals: ['forbidden', 'not_member', 'not_found'],
  },

  // --- files -----------------------------------------------------------------------------------
  uploadFile: {
    method: 'POST',
    path: '/room/:id/files',
    tag: 'files',
    summary: 'Upload a file to attach to a message',
    description:
      'The body is the file itself (any Content-Type; `?name=` its name), at most ' +
      'MAX_UPLOAD_BYTES. The answer names it; a `message` event with `files: [id]` attaches it. ' +
      'A file not attached within an hour is dropped. Bytes uploaded per user and day are ' +
      'limited (UPLOAD_BYTES_PER_DAY, each file counting at least UPLOAD_MIN_CHARGE_BYTES), ' +
      'and so are uploads per user and minute (UPLOADS_PER_USER_PER_MINUTE).',
    session: true,
    params: roomParamsSchema,
    query: uploadQuerySchema,
    ok: { 201: json(fileRefSchema, 'Stored; attach it by its id.') },
    refusals: [
      'forbidden',
      'not_member',
      'not_found',
      'too_large',
      'quota_exceeded',
      'rate_limited',
    ],
  },
  file: {
    method: 'GET',
    path: '/room/:id/files/:fileId',
    tag: 'files',
    summary: 'A file',
    description:
      'To those who can read the room. PNG, JPEG, GIF and WebP images (recognized by their ' +
      'bytes) are inline; everything else is an attachment. Never active content: ' +
      '`X-Content-Type-Options: nosniff` and `Content-Security-Policy: sandbox`.',
    session: true,
    params: fileParamsSchema,
    ok: { 200: bytes('The file.') },
    refusals: ['forbidden', 'not_member', 'not_found'],
  },
  fileThumbnail: {
    method: 'GET',
    path: '/room/:id/files/:fileId/thumbnail',
    tag: 'files',
    summary: 'An image’s thumbnail',
    description: 'A WebP at most THUMBNAIL_MAX_PX on its longer side, made when it was uploaded.',
    session: true,
    params: fileParamsSchema,
    ok: { 200: bytes('The thumbnail (image/webp).') },
    refusals: ['forbidden', 'not_member', 'not_found'],
  },

  // --- system ----------------------------------------------------------------------------------
  links: {
    method: 'GET',
    path: '/links',
    tag: 'system',
    summary: 'Links for the page header',
    session: false,
    ok: { 200: json(z.object({ github: z.string().optional() }), 'The source link, if set.') },
  },
  liveness: {
    method: 'GET',
    path: '/healthz',
    tag: 'system',
    summary: 'Liveness',
    description: 'Answers while the process runs.',
    session: false,
    ok: { 200: json(healthSchema, 'The process is alive.') },
  },
  readiness: {
    method: 'GET',
    path: '/readyz',
    tag: 'system',
    summary: 'Readiness',
    description: '200 while Redis answers a PING within 1 s; 503 otherwise.',
    session: false,
    ok: { 200: json(healthSchema, 'Ready to serve.') },
  },

  metrics: {
    method: 'GET',
    path: '/metrics',
    tag: 'system',
    summary: 'Metrics for Prometheus',
    description:
      'The Prometheus text exposition of this instance. With METRICS_TOKEN set, a scrape ' +
      'presents it as `Authorization: Bearer <token>`.',
    session: false,
    ok: { 200: text('text/plain', 'The metrics, in the Prometheus text format.') },
    refusals: ['unauthenticated'],
  },
  openApiDocument: {
    method: 'GET',
    path: '/openapi.json',
    tag: 'system',
    summary: 'This document',
    description:
      'The HTTP API in OpenAPI 3.1, generated from the route table. The reference page is GET /docs.',
    session: false,
    ok: { 200: json(z.record(z.string(), z.unknown()), 'An OpenAPI 3.1 document.') },
  },
  asyncApiDocument: {
    method: 'GET',
    path: '/asyncapi.json',
    tag: 'system',
    summary: 'The Socket.IO events',
    description: 'Every event both ways, with its payload and acknowledgement, in AsyncAPI 3.0.',
    session: false,
    ok: { 200: json(z.record(z.string(), z.unknown()), 'An AsyncAPI 3.0 document.') },
  },

  // --- moderation ------------------------------------------------------------------------------
  banUser: {
    method: 'POST',
    path: '/users/:id/ban',
    tag: 'moderation',
    summary: 'Ban a user',
    description:
      'Administrators only. The user’s sessions end and their sockets and streams close on every ' +
      'instance; signing in is refused with 403 `banned` until they are unbanned.',
    session: true,
    params: userParamsSchema,
    ok: { 204: noContent('Banned (or already banned).') },
    refusals: ['forbidden', 'not_found'],
  },
  unbanUser: {
    method: 'POST',
    path: '/users/:id/unban',
    tag: 'moderation',
    summary: 'Lift a ban',
    description: 'Administrators only. The user may sign in again.',
    session: true,
    params: userParamsSchema,
    ok: { 204: noContent('Not banned (any more).') },
    refusals: ['forbidden', 'not_found'],
  },

  // --- the demo's client -------------------------------------------------------------------------
  stream: {
    method: 'GET',
    path: '/stream',
    tag: 'interop',
    summary: 'Server-sent events for the demo’s client',
    description:
      'The demo’s `{type, data}` envelopes the user may see, while the session has no socket ' +
      'open on this instance (so nothing arrives twice).',
    session: true,
    ok: { 200: text('text/event-stream', 'An endless event stream.') },
    refusals: ['too_many_connections'],
  },
} as const satisfies Record<string, RouteDeclaration>;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
