/**
 * Presence: who is online, from the connections themselves on every instance, announced with
 * user.connected / user.disconnected (or user.presence batches) after an offline grace; and the
 * user lists that show it.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ChatEvents, DomainEvents } from '../../kernel/domain-events.js';
import type { FanOut } from '../../kernel/realtime/fan-out.js';
import type { RedisClient } from '../../kernel/redis/client.js';
import type { ChatSocket } from '../../kernel/realtime/socket-types.js';
import { presenceRoutes } from './http-routes.js';
import type { UserNames } from './ports.js';
import { PresenceTracker, type PresenceTrackerOptions } from './presence-tracker.js';
import { RedisPresenceStore } from './redis-store.js';
import { PresenceDirectory } from './rules.js';
import { presenceOnConnection } from './socket-handlers.js';

export interface PresenceFeature {
  /** Connections and heartbeats; holds users while their connections move (hand-over). */
  tracker: PresenceTracker;
  areOnline(userIds: string[]): Promise<boolean[]>;
  onConnection(socket: ChatSocket): void;
  routes(app: FastifyInstance): void;
}

export interface PresenceDeps {
  redis: RedisClient;
  serverId: string;
  fanOut: FanOut;
  events: DomainEvents<ChatEvents>;
  users: UserNames;
  log: Logger;
  options: PresenceTrackerOptions;
}

export function createPresence(deps: PresenceDeps): PresenceFeature {
  const store = new RedisPresenceStore(deps.redis, deps.serverId);
  const tracker = new PresenceTracker(store, deps.users, deps.log, deps.options, (user) => {
    deps.fanOut.presence(user);
    deps.events
      .emit('presence.changed', user)
      .catch((error: unknown) => deps.log.warn({ err: error }, 'a presence listener failed'));
  });
  const directory = new PresenceDirectory(store, deps.users);
  return {
    tracker,
    areOnline: (userIds) => store.areOnline(userIds),
    onConnection: (socket) => {
      deps.fanOut.followPresence(socket);
      presenceOnConnection(tracker, socket);
    },
    routes: (app) => presenceRoutes(app, directory),
  };
}
