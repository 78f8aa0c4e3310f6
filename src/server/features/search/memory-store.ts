/** In-memory versions of the search ports, for the unit tests of the rules. */
import type { ChatMessage, SessionUser } from '../../../protocol/models.js';
import { AppError } from '../../kernel/errors.js';
import type { RoomScan, SearchCursor, SearchIndex, SearchRooms } from './ports.js';
import { newerFirst } from './rules.js';

export class MemorySearchIndex implements SearchIndex {
  /** Room -> term -> message id -> score. */
  private readonly rooms = new Map<string, Map<string, Map<string, number>>>();

  constructor(
    /** A room's message by id as the room holds it now (what the script reads from `room:{id}`). */
    private readonly readMessage: (roomId: string, id: string) => ChatMessage | null,
  ) {}

  async add(roomId: string, messageId: string, score: number, terms: string[]) {
    for (const term of terms) this.entries(roomId, term).set(messageId, score);
  }

  async remove(roomId: string, messageId: string, terms: string[]) {
    for (const term of terms) this.entries(roomId, term).delete(messageId);
  }

  /** How many entries the room's index holds for a term. */
  size(roomId: string, term: string): number {
    return this.entries(roomId, term).size;
  }

  async scanRoom(
    roomId: string,
    terms: string[],
    before: SearchCursor | null,
    limit: number,
    budget: number,
  ): Promise<RoomScan> {
    const sets = terms.map((term) => this.entries(roomId, term));
    const driver = sets.reduce((smallest, set) => (set.size < smallest.size ? set : smallest));
    const ordered = [...driver]
      .map(([id, score]) => ({ id, score }))
      .filter((entry) => !before || newerFirst(entry, before) > 0)
      .sort(newerFirst);
    const hits: RoomScan['hits'] = [];
    let looked = 0;
    for (const entry of ordered) {
      looked += 1;
      if (sets.every((set) => set.has(entry.id))) {
        hits.push({ ...entry, message: this.readMessage(roomId, entry.id) });
      }
      if (hits.length >= limit || looked >= budget) {
        return { hits, scannedTo: looked < ordered.length ? entry : null };
      }
    }
    return { hits, scannedTo: null };
  }

  private entries(roomId: string, term: string): Map<string, number> {
    let room = this.rooms.get(roomId);
    if (!room) this.rooms.set(roomId, (room = new Map()));
    let entries = room.get(term);
    if (!entries) room.set(term, (entries = new Map()));
    return entries;
  }
}

/** Rooms by member: any room not listed for the user is refused, as the rooms feature does. */
export class MemorySearchRooms implements SearchRooms {
  constructor(
    /** Room ids listed for each user (General included or not). */
    private readonly listed: Record<string, string[]>,
    /** Room ids each user may read now (a listed room may have been left since). */
    private readonly readable: Record<string, string[]> = listed,
  ) {}

  async assertCanUseRoom(user: SessionUser, roomId: string) {
    if (!(this.readable[user.id] ?? []).includes(roomId)) {
      throw new AppError('not_member', `you are not a member of room ${roomId}`);
    }
  }

  async roomIdsOf(user: SessionUser) {
    return this.listed[user.id] ?? [];
  }
}
