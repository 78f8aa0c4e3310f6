/** In-memory versions of the read ports, for the unit tests of the rules. */
import type { SessionUser } from '../../../protocol/models.js';
import { forbidden } from '../../kernel/errors.js';
import type { MentionCounts, ReadMarkerStore, RoomAccess } from './ports.js';

export class MemoryReadMarkers implements ReadMarkerStore {
  readonly markers = new Map<string, string>();
  /** Per room, the scores of its messages (set by the test). */
  readonly scores = new Map<string, number[]>();

  async readMarkers(userId: string, roomIds: string[]): Promise<(string | null)[]> {
    return roomIds.map((roomId) => this.markers.get(`${userId}/${roomId}`) ?? null);
  }

  async setReadMarker(userId: string, roomId: string, messageId: string): Promise<void> {
    this.markers.set(`${userId}/${roomId}`, messageId);
  }

  async forget(userId: string, roomId: string): Promise<void> {
    this.markers.delete(`${userId}/${roomId}`);
  }

  async countAfter(roomId: string, score: number): Promise<number> {
    return (this.scores.get(roomId) ?? []).filter((s) => s > score).length;
  }
}

/** Mentions per room and user, as scores. */
export class MemoryMentionCounts implements MentionCounts {
  readonly scores = new Map<string, number[]>();

  async countAfter(roomId: string, userId: string, score: number): Promise<number> {
    return (this.scores.get(`${roomId}/${userId}`) ?? []).filter((s) => s > score).length;
  }
}

/** Rooms a user may use, as `{userId}/{roomId}` pairs. */
export class MemoryRoomAccess implements RoomAccess {
  readonly allowed = new Set<string>();

  async assertCanUseRoom(user: SessionUser, roomId: string): Promise<void> {
    if (!this.allowed.has(`${user.id}/${roomId}`)) throw forbidden(`not your room ${roomId}`);
  }
}
