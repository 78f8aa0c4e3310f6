/** In-memory versions of the reaction ports, for the unit tests of the rules. */
import type { Reaction } from '../../../protocol/models.js';
import type { ReactionChange, ReactionStore } from './ports.js';

export class MemoryReactionStore implements ReactionStore {
  /** `{roomId}/{messageId}` -> emoji -> reactors, in insertion order. */
  readonly messages = new Map<string, Map<string, string[]>>();

  async forget(roomId: string, messageIds: string[]) {
    for (const id of messageIds) this.messages.delete(`${roomId}/${id}`);
  }

  async add(roomId: string, messageId: string, userId: string, emoji: string, max: number) {
    const message = this.message(roomId, messageId);
    const users = message.get(emoji);
    if (users?.includes(userId)) return this.answer(message, 'unchanged');
    if (!users && message.size >= max) return { outcome: 'too_many' } as const;
    message.set(emoji, [...(users ?? []), userId]);
    return this.answer(message, 'changed');
  }

  async remove(roomId: string, messageId: string, userId: string, emoji: string) {
    const message = this.message(roomId, messageId);
    const users = message.get(emoji);
    if (!users?.includes(userId)) return this.answer(message, 'unchanged');
    const left = users.filter((id) => id !== userId);
    if (left.length > 0) message.set(emoji, left);
    else message.delete(emoji);
    return this.answer(message, 'changed');
  }

  async read(roomId: string, messageIds: string[]): Promise<Reaction[][]> {
    return messageIds.map((id) => this.list(this.message(roomId, id)));
  }

  private answer(message: Map<string, string[]>, outcome: 'changed' | 'unchanged'): ReactionChange {
    return { outcome, reactions: this.list(message) };
  }

  private list(message: Map<string, string[]>): Reaction[] {
    return [...message].map(([emoji, userIds]) => ({ emoji, userIds }));
  }

  private message(roomId: string, messageId: string) {
    const key = `${roomId}/${messageId}`;
    const message = this.messages.get(key) ?? new Map<string, string[]>();
    this.messages.set(key, message);
    return message;
  }
}

export { MemoryRoomAccess, MemoryMessages } from '../../testing/memory-ports.js';
