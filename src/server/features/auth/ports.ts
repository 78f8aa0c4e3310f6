/**
 * What signing in needs from the outside world. The Redis store implements the user store; the
 * rules never see Redis.
 */

export interface StoredUser {
  id: string;
  username: string;
  passwordHash: string;
}

export interface UserStore {
  findUserByName(username: string): Promise<StoredUser | null>;
  /** Creates the user unless the name is taken (then null): one user per name, even under races. */
  insertUser(username: string, passwordHash: string): Promise<StoredUser | null>;
  /** Usernames by id, null for ids with no user. */
  usernames(userIds: string[]): Promise<(string | null)[]>;
  /** The id of the user with this exact name, or null. */
  idOfUsername(username: string): Promise<string | null>;
  /** Ids of the first `limit` users ever registered (ids are handed out in order). */
  firstUserIds(limit: number): Promise<string[]>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
}

/** A limit on events per key within a window, counted where every instance sees it. */
export interface RateLimiter {
  /** Counts one event for `key`; answers the seconds to wait when the limit is already reached. */
  consume(key: string): Promise<{ allowed: true } | { allowed: false; retryAfterS: number }>;
  /** Seconds to wait before `key` may act again, or 0, without counting anything. */
  blockedFor(key: string): Promise<number>;
  reset(key: string): Promise<void>;
}
