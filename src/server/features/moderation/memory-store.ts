/** In-memory versions of the moderation ports, for the unit tests of the rules. */
import type { BanStore, SessionEnder, UserNames } from './ports.js';

export class MemoryBanStore implements BanStore {
  private readonly banned = new Set<string>();

  async ban(userId: string): Promise<boolean> {
    if (this.banned.has(userId)) return false;
    this.banned.add(userId);
    return true;
  }

  async unban(userId: string): Promise<boolean> {
    return this.banned.delete(userId);
  }

  async isBanned(userId: string): Promise<boolean> {
    return this.banned.has(userId);
  }

  async bannedUserIds(): Promise<string[]> {
    return [...this.banned];
  }
}

/** Remembers which users' sessions were ended, and why. */
export class MemorySessionEnder implements SessionEnder {
  readonly ended: { userId: string; reason: string }[] = [];

  async endSessionsOf(userId: string, reason: 'banned'): Promise<void> {
    this.ended.push({ userId, reason });
  }
}

export class MemoryUserNames implements UserNames {
  constructor(private readonly names: Record<string, string>) {}

  async usernames(userIds: string[]): Promise<(string | null)[]> {
    return userIds.map((id) => this.names[id] ?? null);
  }
}
