/** What read markers and unread counts need. */
import type { SessionUser } from '../../../protocol/models.js';

export interface ReadMarkerStore {
  /** Per room, the id of the last message the user read there, or null. */
  readMarkers(userId: string, roomIds: string[]): Promise<(string | null)[]>;
  setReadMarker(userId: string, roomId: string, messageId: string): Promise<void>;
  /** Forgets the user's marker in a room (they left it). */
  forget(userId: string, roomId: string): Promise<void>;
  /** Messages in the room with a score above the given one. */
  countAfter(roomId: string, score: number): Promise<number>;
}

/** Unread mentions (the mentions feature). */
export interface MentionCounts {
  countAfter(roomId: string, userId: string, score: number): Promise<number>;
}

/** Who may use which room (the rooms feature). */
export interface RoomAccess {
  assertCanUseRoom(user: SessionUser, roomId: string): Promise<void>;
}
