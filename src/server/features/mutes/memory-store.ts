/** In-memory versions of the mute ports, for the unit tests of the rules. */
import type { MuteStore } from './ports.js';

export class MemoryMuteStore implements MuteStore {
  readonly muted = new Map<string, Set<string>>();

  async list(userId: string) {
    return [...(this.muted.get(userId) ?? [])];
  }

  async set(userId: string, roomId: string, muted: boolean) {
    const rooms = this.muted.get(userId) ?? new Set<string>();
    this.muted.set(userId, rooms);
    const changed = rooms.has(roomId) !== muted;
    if (muted) rooms.add(roomId);
    else rooms.delete(roomId);
    return { roomIds: [...rooms], changed };
  }
}

export { MemoryRoomAccess } from '../../testing/memory-ports.js';
