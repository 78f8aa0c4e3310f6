/** Messages: posting, history, editing and deleting, with the per-user send limit. */
import type { FastifyInstance } from 'fastify';
import type { ChatMessage } from '../../../protocol/models.js';
import type { ChatEvents, DomainEvents } from '../../kernel/domain-events.js';
import type { HandleClientEvent } from '../../kernel/realtime/acks.js';
import type { FanOut } from '../../kernel/realtime/fan-out.js';
import type { RedisClient } from '../../kernel/redis/client.js';
import { MESSAGE_CHANGES_PREFIX, MESSAGES_SENT_PREFIX } from '../../kernel/redis/keys.js';
import { messageRoutes } from './http-routes.js';
import {
  type StoredMessage,
  decodeMessage,
  decodeMessages,
  encodeMessage,
} from './message-codec.js';
import type {
  Attachments,
  AuthorReadMarker,
  Mentions,
  Moderators,
  RoomAccess,
  Threads,
} from './ports.js';
import { RedisMessageStore, RedisSendLimiter } from './redis-store.js';
import { MessageRules, type PublishWithMessage, type TrimPolicy } from './rules.js';
import {
  type SentCounter,
  type SocketRooms,
  broadcastChange,
  listenToMessages,
} from './socket-handlers.js';

export type { StoredMessage } from './message-codec.js';
export type { TrimPolicy } from './rules.js';
export type { Attachments } from './ports.js';
export { decodeMessage, decodeMessages, encodeMessage };

export interface MessagesFeature {
  /** The newest message of each room, null for an empty room. */
  newestMessages(roomIds: string[]): Promise<(ChatMessage | null)[]>;
  /** Up to `size` stored messages with a score of at least `minScore`, oldest first. */
  readFromScore(roomId: string, minScore: number, size: number): Promise<StoredMessage[]>;
  /** A stored message by id (deleted ones too), or null. No access check: the caller's. */
  findMessage(roomId: string, id: string): Promise<ChatMessage | null>;
  /**
   * The operator's delete (command line): as an administrator's in the app, broadcast to the
   * room. Null when the room holds no such message; `changed` false when it was deleted before.
   */
  deleteAsOperator(
    roomId: string,
    id: string,
  ): Promise<{ message: ChatMessage; changed: boolean } | null>;
  /**
   * Retention: removes up to `pageSize` of the room's oldest messages that the policy no longer
   * keeps, and what refers to them ('messages.removed'). Fewer than `pageSize`: the room is done.
   */
  trimOldest(roomId: string, policy: TrimPolicy, pageSize: number): Promise<ChatMessage[]>;
  /** Every message of the room, oldest first, in pages of `pageSize` (deleted ones included). */
  pagesOldestFirst(roomId: string, pageSize: number): AsyncGenerator<ChatMessage[]>;
  routes(app: FastifyInstance): void;
}

export interface MessagesDeps {
  redis: RedisClient;
  fanOut: FanOut;
  rooms: RoomAccess & SocketRooms;
  mentions: Mentions;
  reads: AuthorReadMarker;
  messagesPerSecond: number;
  /** Edits and deletes one user may make per minute. */
  messageChangesPerMinute: number;
  handle: HandleClientEvent;
  /** Counts every message stored (metrics). */
  counter: SentCounter;
  /** A PUBLISH to add to the transaction that stores each message (interop's envelope). */
  publishWithMessage?: PublishWithMessage;
  /** Where message.posted / message.edited / message.deleted are told. */
  events?: DomainEvents<ChatEvents>;
  /** Administrators, who may delete anyone's message. */
  moderators?: Moderators;
  /** Replies: where one goes, and each thread's size in history. */
  threads?: Threads;
  /** Files: a new message's uploads, attached to it. */
  files?: Attachments;
}

export function createMessages(deps: MessagesDeps): MessagesFeature {
  const store = new RedisMessageStore(deps.redis);
  const rules = new MessageRules({
    messages: store,
    sendLimit: new RedisSendLimiter(deps.redis, {
      keyPrefix: MESSAGES_SENT_PREFIX,
      points: deps.messagesPerSecond,
      windowMs: 1000,
    }),
    changeLimit: new RedisSendLimiter(deps.redis, {
      keyPrefix: MESSAGE_CHANGES_PREFIX,
      points: deps.messageChangesPerMinute,
      windowMs: 60_000,
    }),
    rooms: deps.rooms,
    mentions: deps.mentions,
    reads: deps.reads,
    ...(deps.publishWithMessage ? { publishWithMessage: deps.publishWithMessage } : {}),
    ...(deps.events ? { events: deps.events } : {}),
    ...(deps.moderators ? { moderators: deps.moderators } : {}),
    ...(deps.threads ? { threads: deps.threads } : {}),
    ...(deps.files ? { files: deps.files } : {}),
  });
  listenToMessages(rules, deps.rooms, deps.fanOut, deps.handle, deps.counter);
  return {
    newestMessages: (roomIds) => rules.newestMessages(roomIds),
    readFromScore: (roomId, minScore, size) => store.readFromScore(roomId, minScore, size),
    findMessage: (roomId, id) => rules.findMessage(roomId, id),
    deleteAsOperator: async (roomId, id) => {
      const deleted = await rules.deleteAsOperator(roomId, id);
      if (deleted?.changed) broadcastChange(deps.fanOut, deleted.message);
      return deleted;
    },
    pagesOldestFirst: (roomId, pageSize) => rules.pagesOldestFirst(roomId, pageSize),
    trimOldest: (roomId, policy, pageSize) => rules.trimOldest(roomId, policy, pageSize),
    routes: (app) => messageRoutes(app, rules),
  };
}
