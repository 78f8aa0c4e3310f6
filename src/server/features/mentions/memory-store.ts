/** In-memory versions of the mention ports, for the unit tests of the rules. */
import type { MentionDirectory, MentionIndex } from './ports.js';

export class MemoryMentionDirectory implements MentionDirectory {
  constructor(
    /** Username -> id. */
    private readonly users: Record<string, string>,
    /** Group room id -> member ids. */
    private readonly groups: Record<string, string[]> = {},
  ) {}

  async idOfUsername(username: string): Promise<string | null> {
    return this.users[username] ?? null;
  }

  async isGroupMember(roomId: string, userId: string): Promise<boolean> {
    return this.groups[roomId]?.includes(userId) ?? false;
  }
}

export class MemoryMentionIndex implements MentionIndex {
  /** `{roomId}/{userId}` -> message id -> score. */
  private readonly index = new Map<string, Map<string, number>>();

  async add(roomId: string, messageId: string, score: number, userIds: string[]) {
    for (const userId of userIds) this.of(roomId, userId).set(messageId, score);
  }

  async remove(roomId: string, messageId: string, userIds: string[]) {
    for (const userId of userIds) this.of(roomId, userId).delete(messageId);
  }

  async countAfter(roomId: string, userId: string, score: number): Promise<number> {
    return [...this.of(roomId, userId).values()].filter((s) => s > score).length;
  }

  async forget(roomId: string, userId: string): Promise<void> {
    this.index.delete(`${roomId}/${userId}`);
  }

  private of(roomId: string, userId: string) {
    const key = `${roomId}/${userId}`;
    const entries = this.index.get(key) ?? new Map<string, number>();
    this.index.set(key, entries);
    return entries;
  }
}
