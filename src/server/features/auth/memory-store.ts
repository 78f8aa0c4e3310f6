/** In-memory versions of the auth ports, for the unit tests of the rules. */
import type { PasswordHasher, RateLimiter, StoredUser, UserStore } from './ports.js';

export class MemoryUserStore implements UserStore {
  private readonly byId = new Map<string, StoredUser>();
  private readonly idByName = new Map<string, string>();
  private readonly idByFoldedName = new Map<string, string>();

  async findUserByName(username: string): Promise<StoredUser | null> {
    const id = await this.idOfUsername(username);
    return id ? (this.byId.get(id) ?? null) : null;
  }

  async insertUser(username: string, passwordHash: string): Promise<StoredUser | null> {
    if (this.idByFoldedName.has(username.toLowerCase())) return null;
    return this.insertLegacyUser(username, passwordHash);
  }

  /** A user as older data may hold one: its name may differ from another's by case only. */
  insertLegacyUser(username: string, passwordHash: string): StoredUser {
    const user = {
      id: String(this.byId.size + 1),
      username,
      passwordHash,
      mustChangePassword: false,
    };
    this.byId.set(user.id, user);
    this.idByName.set(username, user.id);
    if (!this.idByFoldedName.has(username.toLowerCase())) {
      this.idByFoldedName.set(username.toLowerCase(), user.id);
    }
    return user;
  }

  async setPasswordHash(userId: string, passwordHash: string, mustChange = false): Promise<void> {
    const user = this.byId.get(userId);
    if (user) Object.assign(user, { passwordHash, mustChangePassword: mustChange });
  }

  async mustChangePassword(userId: string): Promise<boolean> {
    return this.byId.get(userId)?.mustChangePassword ?? false;
  }

  async passwordHashOf(userId: string): Promise<string | null> {
    return this.byId.get(userId)?.passwordHash ?? null;
  }

  async usernames(userIds: string[]): Promise<(string | null)[]> {
    return userIds.map((id) => this.byId.get(id)?.username ?? null);
  }

  async idOfUsername(username: string): Promise<string | null> {
    return this.idByName.get(username) ?? this.idByFoldedName.get(username.toLowerCase()) ?? null;
  }

  async firstUserIds(limit: number): Promise<string[]> {
    return [...this.byId.keys()].slice(0, limit);
  }
}

/** Not a hash: the tests check the rules around passwords, not bcrypt. */
export const plainTextHasher: PasswordHasher = {
  hash: async (password) => `plain:${password}`,
  verify: async (password, hash) => hash === `plain:${password}`,
};

/** A fixed-window counter per key, on a clock the test moves. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { count: number; endsAtMs: number }>();

  constructor(
    private readonly points: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async consume(key: string) {
    const window = this.current(key) ?? { count: 0, endsAtMs: this.now() + this.windowMs };
    window.count++;
    this.windows.set(key, window);
    if (window.count <= this.points) return { allowed: true as const };
    return { allowed: false as const, retryAfterS: this.secondsLeft(window) };
  }

  async blockedFor(key: string): Promise<number> {
    const window = this.current(key);
    return window && window.count >= this.points ? this.secondsLeft(window) : 0;
  }

  async counted(key: string) {
    const window = this.current(key);
    return { count: window?.count ?? 0, resetsInS: window ? this.secondsLeft(window) : 0 };
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key);
  }

  private current(key: string) {
    const window = this.windows.get(key);
    return window && window.endsAtMs > this.now() ? window : null;
  }

  private secondsLeft(window: { endsAtMs: number }) {
    return Math.max(1, Math.ceil((window.endsAtMs - this.now()) / 1000));
  }
}
