/**
 * The features of the chat and how they use each other, built in one place: by every server
 * instance (app.ts) and by the operator's command line (admin/), so that a ban, a delete or a
 * trim from the command line runs the very rules, stores and broadcasts the app runs.
 *
 * Building them starts nothing: timers, subscriptions and routes begin when app.ts asks.
 */
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { type AuthFeature, createAuth } from './features/auth/index.js';
import { type MentionsFeature, createMentions } from './features/mentions/index.js';
import {
  type MessagesDeps,
  type MessagesFeature,
  createMessages,
} from './features/messages/index.js';
import { type ModerationFeature, createModeration } from './features/moderation/index.js';
import { type MutesFeature, createMutes } from './features/mutes/index.js';
import { type PresenceFeature, createPresence } from './features/presence/index.js';
import { type FilesFeature, createFiles } from './features/files/index.js';
import { type ReactionsFeature, createReactions } from './features/reactions/index.js';
import { type ReadsFeature, createReads } from './features/reads/index.js';
import { type RoomsFeature, createRooms } from './features/rooms/index.js';
import { type SearchFeature, createSearch } from './features/search/index.js';
import { type ThreadsFeature, createThreads } from './features/threads/index.js';
import { type TypingFeature, createTyping } from './features/typing/index.js';
import type { DomainEvents } from './kernel/domain-events.js';
import type { PasswordHasher } from './kernel/passwords.js';
import type { HandleClientEvent } from './kernel/realtime/acks.js';
import type { FanOut } from './kernel/realtime/fan-out.js';
import type { RedisClient } from './kernel/redis/client.js';
import type { SessionEnding } from './kernel/sessions/session-ending.js';

/** The instance, or the command line, the features are built for. */
export interface FeatureSetDeps {
  config: Config;
  redis: RedisClient;
  serverId: string;
  fanOut: FanOut;
  events: DomainEvents;
  handle: HandleClientEvent;
  /** Counts the messages stored (the instance's metrics). */
  metrics: MessagesDeps['counter'];
  passwords: PasswordHasher;
  sessionEnding: SessionEnding;
  log: Logger;
  /** A PUBLISH to add to each message's write (the demo's envelope, interop/). */
  publishWithMessage?: MessagesDeps['publishWithMessage'];
}

export interface FeatureSet {
  auth: AuthFeature;
  moderation: ModerationFeature;
  presence: PresenceFeature;
  rooms: RoomsFeature;
  mentions: MentionsFeature;
  reads: ReadsFeature;
  messages: MessagesFeature;
  search: SearchFeature;
  threads: ThreadsFeature;
  mutes: MutesFeature;
  typing: TypingFeature;
  reactions: ReactionsFeature;
  files: FilesFeature;
}

/** How often an instance renews its presence and connection leases. */
export const HEARTBEAT_MS = 5_000;

export function createFeatureSet(deps: FeatureSetDeps): FeatureSet {
  const { config, redis, fanOut, events, handle, log } = deps;
  // Each feature gets what it needs of the others as plain functions; some of them are made
  // after the one that needs them, so those are looked up when asked.
  const moderation = createModeration({
    redis,
    sessions: deps.sessionEnding,
    users: { usernames: (ids) => auth.users.usernames(ids) },
    adminUsers: config.adminUsers,
  });
  const auth = createAuth(redis, deps.passwords, config, deps.sessionEnding, {
    assertMaySignIn: (userId) => moderation.rules.assertMaySignIn(userId),
    isAdmin: (user) => moderation.rules.isAdmin(user),
  });
  const presence = createPresence({
    redis,
    serverId: deps.serverId,
    fanOut,
    events,
    users: auth.users,
    log,
    options: {
      heartbeatMs: HEARTBEAT_MS,
      instanceTimeoutMs: config.instanceTimeoutS * 1000,
      offlineGraceMs: config.presenceOfflineGraceMs,
    },
  });
  const rooms = createRooms({
    redis,
    fanOut,
    events,
    users: auth.users,
    online: presence,
    activity: {
      newestMessages: (roomIds) => messages.newestMessages(roomIds),
      unreadIn: (userId, roomIds, newestIds) => reads.unreadIn(userId, roomIds, newestIds),
    },
    content: {
      // Everything goes: no message is kept, whatever its age.
      removeMessages: async (roomId, pageSize) =>
        (await messages.trimOldest(roomId, { beforeScore: null, keepNewest: 0 }, pageSize)).length,
    },
    handle,
    log,
    roomsPerHour: config.userLimits.roomsPerHour,
    invitesPerMinute: config.userLimits.invitesPerMinute,
    inviteCooldownS: config.userLimits.inviteCooldownS,
  });
  const mentions = createMentions(
    redis,
    {
      idOfUsername: (username) => auth.users.idOfUsername(username),
      isGroupMember: (roomId, userId) => rooms.isGroupMember(roomId, userId),
    },
    events,
    config.userLimits.mentionsPerMessage,
  );
  const reads = createReads({ redis, fanOut, events, mentions: mentions.index, rooms });
  const messages = createMessages({
    redis,
    fanOut,
    rooms,
    mentions,
    reads,
    messagesPerSecond: config.messagesPerSecond,
    messageChangesPerMinute: config.userLimits.messageChangesPerMinute,
    handle,
    counter: deps.metrics,
    ...(deps.publishWithMessage ? { publishWithMessage: deps.publishWithMessage } : {}),
    events,
    moderators: moderation.rules,
    // Threads look messages up through this feature: asked when a reply comes.
    threads: {
      threadOf: (roomId, replyTo) => threads.threadOf(roomId, replyTo),
      withSummaries: (roomId, list) => threads.withSummaries(roomId, list),
    },
    files: {
      attach: (author, roomId, fileIds, messageId, retry) =>
        files.attach(author, roomId, fileIds, messageId, retry),
    },
  });
  const threads = createThreads({
    redis,
    fanOut,
    events,
    rooms,
    messages,
    repliesMax: config.threadRepliesMax,
    log,
  });
  const search = createSearch({
    redis,
    events,
    rooms,
    searchesPerMinute: config.searchesPerMinute,
    log,
  });
  const typing = createTyping({
    redis,
    rooms,
    fanOut,
    handle,
    intervalMs: config.userLimits.typingIntervalMs,
  });
  const files = createFiles({
    redis,
    events,
    rooms,
    limits: {
      maxUploadBytes: config.maxUploadBytes,
      uploadBytesPerDay: config.uploadBytesPerDay,
      uploadMinChargeBytes: config.uploadMinChargeBytes,
      uploadsPerMinute: config.userLimits.uploadsPerMinute,
    },
    log,
  });
  const mutes = createMutes({
    redis,
    fanOut,
    events,
    rooms,
    changesPerMinute: config.muteChangesPerMinute,
  });
  const reactions = createReactions({
    redis,
    fanOut,
    rooms,
    messages,
    handle,
    changesPerMinute: config.reactionsPerMinute,
    events,
  });
  return {
    auth,
    moderation,
    presence,
    rooms,
    mentions,
    reads,
    messages,
    search,
    threads,
    mutes,
    typing,
    reactions,
    files,
  };
}
