/**
 * What signing in needs from the outside world. The Redis store implements the user store; the
 * rules never see Redis.
 */

export interface StoredUser {
  id: string;
  username: string;
  passwordHash: string;
  /** The password is one an operator reset: the user must change it. */
  mustChangePassword: boolean;
}

export interface UserStore {
  /**
   * The user with this name: written exactly so, or else the same ignoring case (names are one
   * name ignoring case; an exact match wins where older data holds two that differ by case).
   */
  findUserByName(username: string): Promise<StoredUser | null>;
  /**
   * Creates the user unless the name, ignoring case, is taken (then null): one user per name,
   * even under races.
   */
  insertUser(username: string, passwordHash: string): Promise<StoredUser | null>;
  /**
   * Replaces a user's password hash. `mustChange` marks it as one the user must replace (an
   * operator's reset); any other change clears that mark.
   */
  setPasswordHash(userId: string, passwordHash: string, mustChange?: boolean): Promise<void>;
  /** Whether the user's password is one an operator reset (false for no such user). */
  mustChangePassword(userId: string): Promise<boolean>;
  /** The user's stored password hash, or null for no such user. */
  passwordHashOf(userId: string): Promise<string | null>;
  /** Usernames by id, null for ids with no user. */
  usernames(userIds: string[]): Promise<(string | null)[]>;
  /** The id of the user with this name (exact, else ignoring case), or null. */
  idOfUsername(username: string): Promise<string | null>;
  /** Ids of the first `limit` users ever registered (ids are handed out in order). */
  firstUserIds(limit: number): Promise<string[]>;
}

export interface PasswordHasher {
  /** `requester` (the client's address) is whose turn the work counts against. */
  hash(password: string, requester?: string): Promise<string>;
  verify(password: string, hash: string, requester?: string): Promise<boolean>;
}

/** A limit on events per key within a window, counted where every instance sees it. */
export interface RateLimiter {
  /** Counts one event for `key`; answers the seconds to wait when the limit is already reached. */
  consume(key: string): Promise<{ allowed: true } | { allowed: false; retryAfterS: number }>;
  /** Seconds to wait before `key` may act again, or 0, without counting anything. */
  blockedFor(key: string): Promise<number>;
  /** Events counted for `key` in its current window, and the seconds until that window ends. */
  counted(key: string): Promise<{ count: number; resetsInS: number }>;
  reset(key: string): Promise<void>;
}

/** What decides, beyond the password, whether a user may sign in and what role they have. */
export interface SignInPolicy {
  /** Throws the refusal when the user may not sign in (a ban). */
  assertMaySignIn(userId: string): Promise<void>;
  isAdmin(user: { username: string }): boolean;
}
