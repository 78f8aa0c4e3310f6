/** Read markers and unread counts, shared by every tab and device of a user. */
import type { FastifyInstance } from 'fastify';
import type { ChatEvents, DomainEvents } from '../../kernel/domain-events.js';
import type { FanOut } from '../../kernel/realtime/fan-out.js';
import type { RedisClient } from '../../kernel/redis/client.js';
import { readRoutes } from './http-routes.js';
import type { MentionCounts, RoomAccess } from './ports.js';
import { RedisReadMarkers } from './redis-store.js';
import { ReadRules, type UnreadState } from './rules.js';

export interface ReadsFeature {
  /** The author of a message has read its room up to it (issued at once, see ReadRules). */
  authorWrote(userId: string, roomId: string, messageId: string): Promise<void>;
  unreadIn(
    userId: string,
    roomIds: string[],
    newestIds?: Promise<(string | null)[]>,
  ): Promise<UnreadState[]>;
  routes(app: FastifyInstance): void;
}

export interface ReadsDeps {
  redis: RedisClient;
  fanOut: FanOut;
  events: DomainEvents<ChatEvents>;
  mentions: MentionCounts;
  rooms: RoomAccess;
}

export function createReads(deps: ReadsDeps): ReadsFeature {
  const markers = new RedisReadMarkers(deps.redis);
  const rules = new ReadRules(markers, deps.mentions, deps.rooms);
  deps.events.on('room.left', ({ roomId, userId }) => markers.forget(userId, roomId));
  return {
    authorWrote: (userId, roomId, messageId) => rules.authorWrote(userId, roomId, messageId),
    unreadIn: (userId, roomIds, newestIds) => rules.unreadIn(userId, roomIds, newestIds),
    routes: (app) => readRoutes(app, rules, deps.fanOut),
  };
}
