/**
 * In-memory versions of ports several features declare alike (room access, a message lookup),
 * for the unit tests of their rules. Each feature's ports stay its own; these satisfy them
 * structurally (the per-user limit is memory-user-limiter.ts).
 */
import type { ChatMessage, SessionUser } from '../../protocol/models.js';
import { forbidden } from '../kernel/errors.js';

/** Rooms as `{userId}/{roomId}` pairs a user may use. */
export class MemoryRoomAccess {
  readonly allowed = new Set<string>();

  async assertCanUseRoom(user: SessionUser, roomId: string): Promise<void> {
    if (!this.allowed.has(`${user.id}/${roomId}`)) throw forbidden(`room ${roomId} is not yours`);
  }
}

/** Messages by `{roomId}/{id}`. */
export class MemoryMessages {
  readonly messages = new Map<string, ChatMessage>();

  add(message: ChatMessage) {
    this.messages.set(`${message.roomId}/${message.id}`, message);
  }

  async findMessage(roomId: string, id: string) {
    return this.messages.get(`${roomId}/${id}`) ?? null;
  }
}
