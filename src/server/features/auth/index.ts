/**
 * Signing in and registering, sessions' users, and the user directory that other features read
 * names from.
 */
import type { FastifyInstance } from 'fastify';
import type { RedisClient } from '../../kernel/redis/client.js';
import {
  LOGIN_FAILURES_BY_IP_PREFIX,
  LOGIN_FAILURES_BY_USERNAME_PREFIX,
} from '../../kernel/redis/keys.js';
import { RedisRateLimiter } from '../../kernel/redis/rate-limiter.js';
import { authRoutes } from './http-routes.js';
import type { PasswordHasher, UserStore } from './ports.js';
import { RedisUserStore } from './redis-store.js';
import { AuthService } from './rules.js';

export type { UserStore } from './ports.js';

export interface AuthLimitsConfig {
  loginFailuresPerIp: number;
  loginFailuresPerUsername: number;
  loginFailureWindowS: number;
}

export interface AuthFeature {
  /** Users by id and by name, for every feature that shows or resolves names. */
  users: UserStore;
  routes(app: FastifyInstance): void;
}

export function createAuth(
  redis: RedisClient,
  passwords: PasswordHasher,
  limits: AuthLimitsConfig,
): AuthFeature {
  const users = new RedisUserStore(redis);
  const limiter = (keyPrefix: string, points: number) =>
    new RedisRateLimiter(redis, { keyPrefix, points, durationS: limits.loginFailureWindowS });
  const auth = new AuthService(users, passwords, {
    failuresByIp: limiter(LOGIN_FAILURES_BY_IP_PREFIX, limits.loginFailuresPerIp),
    failuresByUsername: limiter(LOGIN_FAILURES_BY_USERNAME_PREFIX, limits.loginFailuresPerUsername),
  });
  return { users, routes: (app) => authRoutes(app, auth) };
}
