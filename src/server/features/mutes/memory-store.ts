/** In-memory versions of the mute ports, for the unit tests of the rules. */
import type { SessionUser } from '../../../protocol/models.js';
import { forbidden } from '../../kernel/errors.js';
import type { ChangeLimiter, MuteStore, RoomAccess } from './ports.js';

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

/** A fixed number of changes per user. */
export class MemoryChangeLimiter implements ChangeLimiter {
  readonly counts = new Map<string, number>();

  constructor(private readonly points: number) {}

  async consume(userId: string) {
    const count = (this.counts.get(userId) ?? 0) + 1;
    this.counts.set(userId, count);
    return count <= this.points
      ? { allowed: true as const }
      : { allowed: false as const, retryAfterS: 60 };
  }
}

/** Rooms as `{userId}/{roomId}` pairs a user may use. */
export class MemoryRoomAccess implements RoomAccess {
  readonly allowed = new Set<string>();

  async assertCanUseRoom(user: SessionUser, roomId: string): Promise<void> {
    if (!this.allowed.has(`${user.id}/${roomId}`)) throw forbidden(`room ${roomId} is not yours`);
  }
}
