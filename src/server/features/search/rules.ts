/**
 * The search rules. A query is its words as the index folds them (search-terms.ts); a message
 * matches when it contains all of them. Only rooms the user can read are searched: the one named,
 * after the same access check as reading its history, or every room of the user's list, each
 * checked again (a room the user left or was never in is never searched). Hits come newest first,
 * a page at a time; the cursor of the next page is the id of the last hit (or of the oldest entry
 * looked at, when a room's scan stopped early), so pages neither repeat nor skip a message.
 */
import type { ChatMessage, SessionUser } from '../../../protocol/models.js';
import { SEARCH_PAGE_SIZE_DEFAULT, type SearchPage } from '../../../protocol/search.js';
import { SEARCH_QUERY_MAX_TERMS, searchTerms } from '../../../protocol/search-terms.js';
import { AppError, badRequest, rateLimited } from '../../kernel/errors.js';
import { scoreOfMessageId } from '../../kernel/message-ids.js';
import type { IndexedHit, SearchCursor, SearchIndex, SearchLimiter, SearchRooms } from './ports.js';

/** Index entries one room's scan may look at per request: bounds the cost of a rare pairing. */
export const SEARCH_SCAN_BUDGET = 5000;

export interface SearchPorts {
  index: SearchIndex;
  rooms: SearchRooms;
  limiter: SearchLimiter;
}

export interface SearchRequest {
  q: string;
  roomId?: string | undefined;
  before?: string | undefined;
  size?: number | undefined;
}

/** Newest first; between equal scores, the larger id first (the index's own order). */
export function newerFirst(a: SearchCursor, b: SearchCursor): number {
  if (a.score !== b.score) return b.score - a.score;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export class SearchRules {
  constructor(
    private readonly ports: SearchPorts,
    private readonly scanBudget = SEARCH_SCAN_BUDGET,
  ) {}

  async search(user: SessionUser, request: SearchRequest): Promise<SearchPage> {
    const terms = searchTerms(request.q).slice(0, SEARCH_QUERY_MAX_TERMS);
    if (terms.length === 0) {
      throw badRequest('q must contain a word of at least 2 letters or digits');
    }
    let before: SearchCursor | null = null;
    if (request.before !== undefined) {
      const score = scoreOfMessageId(request.before);
      if (score === null) throw badRequest('before must be a cursor from a previous page');
      before = { score, id: request.before };
    }
    const counted = await this.ports.limiter.consume(user.id);
    if (!counted.allowed) {
      const wait = counted.retryAfterS;
      throw rateLimited(`you are searching too often; wait ${wait} s`, wait, 'search');
    }
    const roomIds = request.roomId
      ? await this.checked(user, request.roomId)
      : await this.readableRooms(user);
    const size = request.size ?? SEARCH_PAGE_SIZE_DEFAULT;

    const scans = await Promise.all(
      roomIds.map(async (roomId) => ({
        roomId,
        scan: await this.ports.index.scanRoom(roomId, terms, before, size, this.scanBudget),
      })),
    );
    // A room whose scan stopped early may still hold matches down to where it stopped: hits
    // older than the newest such point wait for the next page, which starts there.
    let frontier: SearchCursor | null = null;
    const found: { roomId: string; hit: IndexedHit }[] = [];
    for (const { roomId, scan } of scans) {
      for (const hit of scan.hits) found.push({ roomId, hit });
      if (scan.scannedTo && (!frontier || newerFirst(scan.scannedTo, frontier) < 0)) {
        frontier = scan.scannedTo;
      }
    }
    found.sort((a, b) => newerFirst(a.hit, b.hit));
    const settled = frontier ? found.filter(({ hit }) => newerFirst(hit, frontier) <= 0) : found;
    const page = settled.slice(0, size);
    const last = page.at(-1);
    const more = settled.length > size || frontier !== null;
    const next = !more ? null : page.length === size && last ? last.hit.id : (frontier?.id ?? null);

    const hits: { message: ChatMessage }[] = [];
    for (const { hit } of page) {
      const message = hit.message;
      // The index can be a step behind its room (an edit between the two writes): only live
      // messages with that id are answered.
      if (message && !message.deleted) hits.push({ message });
    }
    return { hits, terms, next };
  }

  /** Adds a new message to its room's index. */
  async indexMessage(message: ChatMessage): Promise<void> {
    const score = scoreOfMessageId(message.id);
    const terms = searchTerms(message.message);
    if (score === null || terms.length === 0) return;
    await this.ports.index.add(message.roomId, message.id, score, terms);
  }

  /** Moves an edited message's entries from the words it lost to the words it gained. */
  async reindexMessage(previous: ChatMessage, message: ChatMessage): Promise<void> {
    const score = scoreOfMessageId(message.id);
    if (score === null) return;
    const before = new Set(searchTerms(previous.message));
    const after = new Set(searchTerms(message.message));
    const lost = [...before].filter((term) => !after.has(term));
    const gained = [...after].filter((term) => !before.has(term));
    if (lost.length > 0) await this.ports.index.remove(message.roomId, message.id, lost);
    if (gained.length > 0) await this.ports.index.add(message.roomId, message.id, score, gained);
  }

  /** Takes messages out of their rooms' indexes (deleted, or trimmed by retention). */
  async unindexMessages(messages: readonly ChatMessage[]): Promise<void> {
    await Promise.all(
      messages.map(async (message) => {
        const terms = searchTerms(message.message);
        if (terms.length > 0) await this.ports.index.remove(message.roomId, message.id, terms);
      }),
    );
  }

  private async checked(user: SessionUser, roomId: string): Promise<string[]> {
    await this.ports.rooms.assertCanUseRoom(user, roomId);
    return [roomId];
  }

  /** The user's rooms that pass the access check now; a refusal leaves the room out. */
  private async readableRooms(user: SessionUser): Promise<string[]> {
    const listed = await this.ports.rooms.roomIdsOf(user);
    const checked = await Promise.all(
      listed.map(async (roomId) => {
        try {
          await this.ports.rooms.assertCanUseRoom(user, roomId);
          return roomId;
        } catch (error) {
          if (error instanceof AppError) return null;
          throw error;
        }
      }),
    );
    return checked.filter((roomId): roomId is string => roomId !== null);
  }
}
