/**
 * Searching messages, and opening a hit: its room, scrolled to the message with its neighbours
 * loaded around it. The hits themselves are the panel's own state (they matter only while it is
 * open); what a hit opens goes through the rooms and messages features.
 */
import type { SearchHit, SearchPage } from '../../../protocol/index.js';
import type { Transport } from '../../core/transport/index.js';
import type { MessagesEffects } from '../messages/index.js';
import type { PresenceEffects } from '../presence/index.js';
import type { RoomsEffects } from '../rooms/index.js';

/** Where to search: the open room, or every room of the user's list. */
export type SearchScope = { roomId: string } | 'all';

export class SearchEffects {
  constructor(
    private readonly transport: Transport,
    private readonly presence: Pick<PresenceEffects, 'ensureUsers'>,
    private readonly rooms: Pick<RoomsEffects, 'selectRoom'>,
    private readonly messages: Pick<MessagesEffects, 'showMessage'>,
  ) {}

  /** One page of hits, newest first; `before` is the previous page's `next`. */
  async search(query: string, scope: SearchScope, before?: string): Promise<SearchPage> {
    const page = await this.transport.api.search(query, {
      ...(scope === 'all' ? {} : { roomId: scope.roomId }),
      ...(before ? { before } : {}),
    });
    this.presence.ensureUsers(page.hits.map((hit) => hit.message.from));
    return page;
  }

  /** Opens the hit's room at the message; rejects with the reason it cannot be shown. */
  open({ message }: SearchHit): Promise<void> {
    this.rooms.selectRoom(message.roomId);
    return this.messages.showMessage(message.roomId, message.id);
  }
}
