/**
 * Signing in and registering, sessions' users, and the user directory that other features read
 * names from.
 */
import type { FastifyInstance } from 'fastify';
import type { SessionUser } from '../../../protocol/models.js';
import type { RedisClient } from '../../kernel/redis/client.js';
import {
  LOGIN_FAILURES_BY_IP_AND_USERNAME_PREFIX,
  LOGIN_FAILURES_BY_IP_PREFIX,
  LOGIN_FAILURES_BY_USERNAME_PREFIX,
  PASSWORD_CHANGES_BY_USER_PREFIX,
  REGISTRATIONS_BY_IP_PREFIX,
} from '../../kernel/redis/keys.js';
import { RedisRateLimiter } from '../../kernel/redis/rate-limiter.js';
import type { SessionEnding } from '../../kernel/sessions/session-ending.js';
import { authRoutes } from './http-routes.js';
import type { PasswordHasher, SignInPolicy, UserStore } from './ports.js';
import { RedisUserStore } from './redis-store.js';
import { AuthService } from './rules.js';

export type { SignInPolicy, UserStore } from './ports.js';

export interface AuthLimitsConfig {
  loginFailuresPerIpAndUsername: number;
  loginFailuresPerIp: number;
  loginFailureWindowS: number;
  loginFailuresPerUsername: number;
  loginUsernameWindowS: number;
  /** 0: registrations are not limited. */
  registrationsPerIpPerHour: number;
  passwordChangesPerHour: number;
}

const HOUR_S = 3600;

export interface AuthFeature {
  /** Users by id and by name, for every feature that shows or resolves names. */
  users: UserStore;
  /** Fills in what older data lacks (the case-insensitive name index); run once at start. */
  prepare(): Promise<void>;
  /**
   * The operator's reset (command line): the user gets this password and every session of
   * theirs ends. Null when no user has this name.
   */
  resetPassword(username: string, password: string): Promise<SessionUser | null>;
  routes(app: FastifyInstance): void;
}

export function createAuth(
  redis: RedisClient,
  passwords: PasswordHasher,
  limits: AuthLimitsConfig,
  sessions: SessionEnding,
  policy: SignInPolicy,
): AuthFeature {
  const users = new RedisUserStore(redis);
  const limiter = (keyPrefix: string, points: number, durationS: number) =>
    new RedisRateLimiter(redis, { keyPrefix, points, durationS });
  const auth = new AuthService(users, passwords, {
    failuresByIpAndUsername: limiter(
      LOGIN_FAILURES_BY_IP_AND_USERNAME_PREFIX,
      limits.loginFailuresPerIpAndUsername,
      limits.loginFailureWindowS,
    ),
    failuresByIp: limiter(
      LOGIN_FAILURES_BY_IP_PREFIX,
      limits.loginFailuresPerIp,
      limits.loginFailureWindowS,
    ),
    failuresByUsername: limiter(
      LOGIN_FAILURES_BY_USERNAME_PREFIX,
      limits.loginFailuresPerUsername,
      limits.loginUsernameWindowS,
    ),
    registrationsByIp:
      limits.registrationsPerIpPerHour > 0
        ? limiter(REGISTRATIONS_BY_IP_PREFIX, limits.registrationsPerIpPerHour, HOUR_S)
        : null,
    passwordChangesByUser: limiter(
      PASSWORD_CHANGES_BY_USER_PREFIX,
      limits.passwordChangesPerHour,
      HOUR_S,
    ),
  });
  return {
    users,
    prepare: () => users.indexUsernames(),
    resetPassword: async (username, password) => {
      const user = await auth.resetPassword(username, password);
      if (user) await sessions.endSessionsOf(user.id, 'password_changed');
      return user;
    },
    routes: (app) => authRoutes(app, auth, sessions, policy),
  };
}
