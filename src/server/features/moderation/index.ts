/**
 * Moderation: administrators (ADMIN_USERS), bans, and the checks other features ask: may this
 * user sign in, is this user an administrator. The command line (src/server/admin/) uses the
 * same rules with the same stores.
 */
import type { FastifyInstance } from 'fastify';
import type { RedisClient } from '../../kernel/redis/client.js';
import { moderationRoutes } from './http-routes.js';
import type { SessionEnder, UserNames } from './ports.js';
import { RedisBanStore } from './redis-store.js';
import { ModerationRules } from './rules.js';

export type { BanChange } from './rules.js';

export interface ModerationFeature {
  rules: ModerationRules;
  routes(app: FastifyInstance): void;
}

export interface ModerationDeps {
  redis: RedisClient;
  sessions: SessionEnder;
  users: UserNames;
  adminUsers: readonly string[];
}

export function createModeration(deps: ModerationDeps): ModerationFeature {
  const rules = new ModerationRules(
    { bans: new RedisBanStore(deps.redis), sessions: deps.sessions, users: deps.users },
    deps.adminUsers,
  );
  return { rules, routes: (app) => moderationRoutes(app, rules) };
}
