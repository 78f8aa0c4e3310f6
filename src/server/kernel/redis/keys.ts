/**
 * Every Redis key and channel name, in one module. The first group are the seed's names and
 * shapes, shared with the seed's servers; the rest are this project's additions, named the same way.
 */

// --- the seed's data model ---------------------------------------------------------------------

/** String counter; INCR gives the next user id. Its absence means "empty database". */
export const totalUsersKey = () => 'total_users';
/** String: `user:{id}` for the user with that name. */
export const usernameKey = (username: string) => `username:${username}`;
/**
 * Hash: username, password (bcrypt); must_change_password ("1") while the password is one an
 * operator reset, until the user changes it.
 */
export const userKey = (userId: string) => `user:${userId}`;
/** Set of room ids the user belongs to. */
export const userRoomsKey = (userId: string) => `user:${userId}:rooms`;
/** Sorted set of JSON messages scored by time. */
export const roomKey = (roomId: string) => `room:${roomId}`;
/** String: the room's name; private rooms have none. */
export const roomNameKey = (roomId: string) => `room:${roomId}:name`;
/** Set of ids of users who are online. */
export const onlineUsersKey = () => 'online_users';
/** Pub/sub channel where every server publishes `{serverId, type, data}` envelopes. */
export const SEED_CHANNEL = 'MESSAGES';

// --- this project's additions ------------------------------------------------------------------

/**
 * String: `user:{id}` for the user whose name, lower-cased, is this: names are unique ignoring
 * case. Written by every registration here, and at start-up for users written before (or by the
 * seed's servers, which know only `username:{name}`).
 */
export const usernameLowerKey = (username: string) => `username_lower:${username.toLowerCase()}`;
/** String: the highest user id whose name is in the `username_lower:` index (filled at start). */
export const usernameLowerProgressKey = () => 'username_lower_progress';
/** String: JSON of one HTTP session. */
export const sessionKey = (sessionId: string) => `session:${sessionId}`;
/**
 * Sorted set of a user's session ids, scored by when each expires (ms): how every session of a
 * user is found to end it. Entries past their score are pruned as new ones are added.
 */
export const userSessionsKey = (userId: string) => `user:${userId}:sessions`;
/**
 * Pub/sub channel (classic PUBLISH, heard by every instance): JSON `{sessionIds, reason}` of
 * sessions that just ended, whose live connections every instance closes.
 */
export const SESSIONS_ENDED_CHANNEL = 'sessions_ended';
/** String: the cookie-signing secret shared by all instances when none is configured. */
export const sessionSecretKey = () => 'session_secret';
/** String lock taken by the one instance that writes the demo data. */
export const demoDataLockKey = () => 'demo_data:lock';
/** Sorted set of `{serverId}:{socketId}` for a user's live connections, scored by connect time. */
export const userConnectionsKey = (userId: string) => `user:${userId}:connections`;
/** Sorted set of live server instances, scored by their last heartbeat (ms). */
export const instancesKey = () => 'instances';
/** Set of user ids with connections on one instance, for cleaning up after it dies. */
export const instanceUsersKey = (serverId: string) => `instance:${serverId}:users`;
/** String lock held while one survivor cleans up a dead instance. */
export const instanceCleanupLockKey = (serverId: string) => `instance:${serverId}:cleanup`;
/**
 * Sorted set of ids of users whose last connection closed, scored by when they go offline (ms)
 * unless they connect again: the grace that keeps a reload from announcing offline and online.
 */
export const offlinePendingKey = () => 'offline_pending';
/** Prefixes of the rate limiters' counters. */
export const LOGIN_FAILURES_BY_IP_PREFIX = 'ratelimit:login:ip';
export const LOGIN_FAILURES_BY_USERNAME_PREFIX = 'ratelimit:login:username';
export const LOGIN_FAILURES_BY_IP_AND_USERNAME_PREFIX = 'ratelimit:login:ip_username';
export const REGISTRATIONS_BY_IP_PREFIX = 'ratelimit:register:ip';
export const PASSWORD_CHANGES_BY_USER_PREFIX = 'ratelimit:password_change:user';
export const MESSAGES_SENT_PREFIX = 'ratelimit:message';
/** Prefix of the Socket.IO Redis adapter's channels. */
export const SOCKET_IO_CHANNEL_PREFIX = 'socket.io';

// --- group rooms, read markers and mentions ------------------------------------------------------

/** String counter; INCR gives the next group room id (General is 0, private rooms are "a:b"). */
export const totalRoomsKey = () => 'total_rooms';
/**
 * String: the id of the public group room whose name has this skeleton (lower-cased, compatibility
 * forms folded, invisible characters dropped): no two public rooms look alike. Private rooms
 * claim no name (rooms created before that rule may still hold one).
 */
export const roomNameIndexKey = (name: string) => `room_name:${name.toLowerCase()}`;
/** Hash: visibility (public|private) and createdBy of a group room. */
export const roomInfoKey = (roomId: string) => `room:${roomId}:info`;
/**
 * SCAN patterns of the keys named after a room besides `room:<id>` itself: `room:<id>:*`
 * (name, info, members, mentions, cooldowns; spread over a cluster's slots) and, with the key
 * whose slot they all share, `{room:<id>}:*` (search, threads, reactions, sends). What deleting
 * a room sweeps.
 */
export const roomKeyPatterns = (roomId: string) => ({
  spread: `room:${roomId}:*`,
  inRoomSlot: { match: `{room:${roomId}}:*`, slotOf: roomKey(roomId) },
});
/** Set of the user ids in a group room. */
export const roomMembersKey = (roomId: string) => `room:${roomId}:members`;
/** Set of the ids of public group rooms: the directory. */
export const publicRoomsKey = () => 'public_rooms';
/** Hash: room id -> id of the last message the user has read there. */
export const userReadMarkersKey = (userId: string) => `user:${userId}:read`;
/** Sorted set of the ids of messages in a room that mention a user, scored like the messages. */
export const roomMentionsKey = (roomId: string, userId: string) =>
  `room:${roomId}:mentions:${userId}`;

// --- idempotent sends ------------------------------------------------------------------------------

/** The hash tag that puts a new key in the same Redis Cluster slot as an existing one. */
function slotTagOf(key: string): string {
  const open = key.indexOf('{');
  const close = open >= 0 ? key.indexOf('}', open + 1) : -1;
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

/**
 * String with an expiry: the id of the message a user stored in a room under its own client id,
 * so a retry stores nothing twice. In the room's hash slot, so that one script on the room's
 * slot checks it and stores the message.
 */
export const sentClientIdKey = (roomId: string, userId: string, clientId: string) =>
  `{${slotTagOf(roomKey(roomId))}}:sent:${userId}:${clientId}`;

// --- search and files ------------------------------------------------------------------------------
// Hash-tagged with the room's own key name, so that they share the slot of `room:{id}` (the
// hash tag `{room:0}` hashes "room:0", as the plain key `room:0` does) and a script may read the
// room's messages and its index together.

/** Sorted set: ids of the room's messages containing a search term, scored like the messages. */
export const searchTermKey = (roomId: string, term: string) =>
  `{${slotTagOf(roomKey(roomId))}}:search:${term}`;
/** Prefix of the per-user search counters. */
export const SEARCHES_PREFIX = 'ratelimit:search';

// --- reactions, threads, mute ----------------------------------------------------------------------
// Keys about one room's messages carry the room's key as their hash tag, `{room:<id>}`: Redis
// hashes only the tag, which is the room's sorted set's whole name, so they share its slot and a
// script may touch both.

/** Hash: emoji -> JSON array of the ids of the users who reacted with it, first reactor first. */
export const messageReactionsKey = (roomId: string, messageId: string) =>
  `{room:${roomId}}:reactions:${messageId}`;
export const REACTIONS_CHANGED_PREFIX = 'ratelimit:reaction';
/** Sorted set: the ids of a thread's replies, scored like the messages (room:<id>). */
export const threadRepliesKey = (roomId: string, messageId: string) =>
  `{room:${roomId}}:thread:${messageId}`;
/**
 * Hash: id of a thread's first message -> JSON `{count, last}` (replies, id of the newest), so a
 * page of history learns its threads with one HMGET.
 */
export const roomThreadsKey = (roomId: string) => `{room:${roomId}}:threads`;
/** Set of the ids of the rooms a user muted (they count unread but do not notify). */
export const userMutedRoomsKey = (userId: string) => `user:${userId}:muted`;
/** Prefix of the per-user counters of mute and unmute changes. */
export const MUTE_CHANGES_PREFIX = 'ratelimit:mute';

// --- files ---------------------------------------------------------------------------------------
// A file's keys share the hash tag `{file:<id>}`, which hashes like its plain `file:<id>`: storing
// or dropping a file is one MULTI on one slot, and files spread over the cluster's slots.

/** Hash: a file's description (room, owner, name, type, size, image size, message, chunks). */
export const fileKey = (fileId: string) => `file:${fileId}`;
/** Hash: chunk number -> up to FILE_CHUNK_BYTES of the file's bytes. */
export const fileChunksKey = (fileId: string) => `{file:${fileId}}:chunks`;
/** String: an image's thumbnail (WebP). */
export const fileThumbnailKey = (fileId: string) => `{file:${fileId}}:thumbnail`;
/** Prefix of the per-user counters of bytes uploaded per day. */
export const UPLOAD_BYTES_PREFIX = 'quota:upload_bytes';
/** Prefix of the per-user counters of uploads per minute, whatever their size. */
export const UPLOADS_PREFIX = 'ratelimit:upload';

// --- limits on what a user can multiply ----------------------------------------------------------

/**
 * Sorted set of a user's connection leases (`{serverId}:{uuid}`, one per socket or /stream),
 * scored by when each lapses (ms): counted against MAX_CONNECTIONS_PER_USER over every instance.
 */
export const userConnectionLeasesKey = (userId: string) => `user:${userId}:connection_leases`;

// --- moderation and retention ------------------------------------------------------------------

/** Set of the ids of banned users: they cannot sign in. */
export const bannedUsersKey = () => 'banned_users';
/**
 * String lock (a random token, with an expiry) held by the one instance running the retention
 * job: set with SET NX PX, released only by its holder (compare-and-delete).
 */
export const retentionLockKey = () => 'retention:lock';
/** Prefix of the per-user counters of message edits and deletes. */
export const MESSAGE_CHANGES_PREFIX = 'ratelimit:message_change';
/** Prefixes of the per-user counters of group rooms created and invitations sent. */
export const ROOM_CREATIONS_PREFIX = 'ratelimit:room_create';
export const INVITES_PREFIX = 'ratelimit:invite';
/**
 * String with an expiry (TYPING_INTERVAL_MS): the user announced typing in the room; another
 * start before it lapses, from any socket, is refused.
 */
export const typingStartKey = (userId: string, roomId: string) =>
  `ratelimit:typing:${userId}:${roomId}`;
/**
 * String with an expiry (INVITE_COOLDOWN_S): the user left the room, and no member may invite
 * them back before it lapses.
 */
export const roomLeftKey = (roomId: string, userId: string) => `room:${roomId}:left:${userId}`;
/**
 * Sorted sets, every score 0, of the room directory's index (ordered by text, searched by range):
 * `{name}\0{roomId}` of each public room, and `{text from a word start}\0{roomId}` for each of
 * its word starts. One key each, so a page is one command in one slot.
 */
export const directoryNamesKey = () => 'public_rooms:names';
export const directoryWordsKey = () => 'public_rooms:words';
/** String: the directory's index holds the public rooms made before it (built once at start). */
export const directoryBuiltKey = () => 'public_rooms:indexed';
