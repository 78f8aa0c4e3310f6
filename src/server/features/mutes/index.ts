/**
 * Per-room mute, kept on the server: the rooms a user muted still count unread but do not
 * notify, on every tab and device (`rooms.muted` tells them of a change).
 */
import type { FastifyInstance } from 'fastify';
import type { ChatEvents, DomainEvents } from '../../kernel/domain-events.js';
import type { FanOut } from '../../kernel/realtime/fan-out.js';
import type { RedisClient } from '../../kernel/redis/client.js';
import { MUTE_CHANGES_PREFIX } from '../../kernel/redis/keys.js';
import { perUserLimiter } from '../../kernel/redis/rate-limiter.js';
import { muteRoutes } from './http-routes.js';
import type { RoomAccess } from './ports.js';
import { RedisMuteStore } from './redis-store.js';
import { MuteRules } from './rules.js';

export interface MutesFeature {
  routes(app: FastifyInstance): void;
}

export interface MutesDeps {
  redis: RedisClient;
  fanOut: FanOut;
  events: DomainEvents<ChatEvents>;
  rooms: RoomAccess;
  /** Mutes and unmutes one user may make per minute, over all instances. */
  changesPerMinute: number;
}

export function createMutes(deps: MutesDeps): MutesFeature {
  const rules = new MuteRules({
    mutes: new RedisMuteStore(deps.redis),
    limiter: perUserLimiter(deps.redis, MUTE_CHANGES_PREFIX, deps.changesPerMinute),
    rooms: deps.rooms,
  });
  deps.events.on('room.left', ({ roomId, userId }) => rules.forget(userId, roomId));
  return { routes: (app) => muteRoutes(app, rules, deps.fanOut) };
}
