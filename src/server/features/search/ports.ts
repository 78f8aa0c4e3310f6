/**
 * What searching needs: a per-room inverted index (term -> the room's messages containing it),
 * room access from the rooms feature, and a per-user limit counted where every instance sees it.
 */
import type { ChatMessage, SessionUser } from '../../../protocol/models.js';

/**
 * A place in the order hits are given in: newest first, and between messages of the same score
 * (two instances may use the same microsecond) by id, larger first.
 */
export interface SearchCursor {
  score: number;
  id: string;
}

/** One index entry that matched every term, with its message as the room holds it now. */
export interface IndexedHit extends SearchCursor {
  /** Null when the room no longer holds a message with that id. */
  message: ChatMessage | null;
}

/** What scanning one room's index found. */
export interface RoomScan {
  /** Matching entries, newest first. */
  hits: IndexedHit[];
  /**
   * The oldest entry looked at when the scan stopped early (enough hits, or its budget of entries
   * spent); null when nothing older in the room can match.
   */
  scannedTo: SearchCursor | null;
}

export interface SearchIndex {
  add(roomId: string, messageId: string, score: number, terms: string[]): Promise<void>;
  remove(roomId: string, messageId: string, terms: string[]): Promise<void>;
  /**
   * The room's messages containing every term, older than `before` (all when null), newest
   * first: at most `limit` hits, looking at most `budget` index entries.
   */
  scanRoom(
    roomId: string,
    terms: string[],
    before: SearchCursor | null,
    limit: number,
    budget: number,
  ): Promise<RoomScan>;
}

/** Rooms (the rooms feature). */
export interface SearchRooms {
  /** Refuses unless the room exists and the user may read it. */
  assertCanUseRoom(user: SessionUser, roomId: string): Promise<void>;
  /** The rooms listed for the user, General included. */
  roomIdsOf(user: SessionUser): Promise<string[]>;
}

/** The per-user search limit. */
export interface SearchLimiter {
  consume(userId: string): Promise<{ allowed: true } | { allowed: false; retryAfterS: number }>;
}
