/** Reactions: emoji on messages, who put them there, live on every tab and instance. */
import type { FastifyInstance } from 'fastify';
import type { ChatEvents, DomainEvents } from '../../kernel/domain-events.js';
import type { HandleClientEvent } from '../../kernel/realtime/acks.js';
import type { FanOut } from '../../kernel/realtime/fan-out.js';
import type { RedisClient } from '../../kernel/redis/client.js';
import { REACTIONS_CHANGED_PREFIX } from '../../kernel/redis/keys.js';
import { perUserLimiter } from '../../kernel/redis/rate-limiter.js';
import { reactionRoutes } from './http-routes.js';
import type { MessageLookup, RoomAccess } from './ports.js';
import { RedisReactionStore } from './redis-store.js';
import { ReactionRules } from './rules.js';
import { type SocketRoomAccess, listenToReactions } from './socket-handlers.js';

export interface ReactionsFeature {
  routes(app: FastifyInstance): void;
}

export interface ReactionsDeps {
  redis: RedisClient;
  fanOut: FanOut;
  rooms: RoomAccess & SocketRoomAccess;
  messages: MessageLookup;
  handle: HandleClientEvent;
  /** Reaction changes one user may make per minute, over all instances. */
  changesPerMinute: number;
  /** Where messages removed for good are told ('messages.removed'). */
  events: DomainEvents<ChatEvents>;
}

export function createReactions(deps: ReactionsDeps): ReactionsFeature {
  const store = new RedisReactionStore(deps.redis);
  deps.events.on('messages.removed', ({ roomId, messages }) =>
    store.forget(
      roomId,
      messages.map((message) => message.id),
    ),
  );
  const rules = new ReactionRules({
    reactions: store,
    limiter: perUserLimiter(deps.redis, REACTIONS_CHANGED_PREFIX, deps.changesPerMinute),
    rooms: deps.rooms,
    messages: deps.messages,
  });
  listenToReactions(rules, deps.rooms, deps.fanOut, deps.handle);
  return {
    routes: (app) => reactionRoutes(app, rules),
  };
}
