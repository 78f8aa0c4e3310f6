/** What mutes need: where they are kept, a limit on changes, and who may use which room. */
import type { SessionUser } from '../../../protocol/models.js';

export interface MuteStore {
  /** The user's muted rooms. */
  list(userId: string): Promise<string[]>;
  /** Mutes or unmutes a room; answers the muted rooms afterwards and whether anything changed. */
  set(
    userId: string,
    roomId: string,
    muted: boolean,
  ): Promise<{ roomIds: string[]; changed: boolean }>;
}

/** The per-user limit on changes, counted where every instance sees it. */
export interface ChangeLimiter {
  consume(userId: string): Promise<{ allowed: true } | { allowed: false; retryAfterS: number }>;
}

/** Who may use which room (the rooms feature). */
export interface RoomAccess {
  assertCanUseRoom(user: SessionUser, roomId: string): Promise<void>;
}
