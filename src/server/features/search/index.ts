/**
 * Search: full-text search over the messages of the rooms a user can read, on an index kept up to
 * date from the messages feature's events (posted, edited, deleted) and, for messages trimmed by
 * retention, through `unindexMessages`.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ChatMessage } from '../../../protocol/models.js';
import type { ChatEvents, DomainEvents } from '../../kernel/domain-events.js';
import type { RedisClient } from '../../kernel/redis/client.js';
import { SEARCHES_PREFIX } from '../../kernel/redis/keys.js';
import { perUserLimiter } from '../../kernel/redis/rate-limiter.js';
import { searchRoutes } from './http-routes.js';
import type { SearchRooms } from './ports.js';
import { RedisSearchIndex } from './redis-store.js';
import { SearchRules } from './rules.js';

export interface SearchFeature {
  /**
   * Takes messages out of the index: for whoever removes messages from a room without the
   * messages feature (retention trims). Each message names its room.
   */
  unindexMessages(messages: readonly ChatMessage[]): Promise<void>;
  routes(app: FastifyInstance): void;
}

export interface SearchDeps {
  redis: RedisClient;
  events: DomainEvents<ChatEvents>;
  rooms: SearchRooms;
  /** Searches one user may run per minute, over all instances. */
  searchesPerMinute: number;
  log: Logger;
}

export function createSearch(deps: SearchDeps): SearchFeature {
  const rules = new SearchRules({
    index: new RedisSearchIndex(deps.redis),
    rooms: deps.rooms,
    limiter: perUserLimiter(deps.redis, SEARCHES_PREFIX, deps.searchesPerMinute),
  });
  // The message is stored by then: a failed index write must not turn its send into an error
  // (the client would send it again), so it is logged; the message is then missing from search.
  const logged = (what: string, work: Promise<void>) =>
    work.catch((error: unknown) => deps.log.warn({ err: error }, `search index: ${what} failed`));
  // Issued as the message is being stored, so that the index leaves in the same write (one
  // round trip per message instead of two); taken back if it was not stored after all.
  deps.events.on('message.storing', ({ message }) =>
    logged('adding a message', rules.indexMessage(message)),
  );
  deps.events.on('message.unstored', ({ message }) =>
    logged('removing a message that was not stored', rules.unindexMessages([message])),
  );
  deps.events.on('message.edited', ({ previous, message }) =>
    logged('updating an edited message', rules.reindexMessage(previous, message)),
  );
  deps.events.on('message.deleted', ({ previous }) =>
    logged('removing a deleted message', rules.unindexMessages([previous])),
  );
  deps.events.on('messages.removed', ({ messages }) =>
    logged('removing trimmed messages', rules.unindexMessages(messages)),
  );
  return {
    unindexMessages: (messages) => rules.unindexMessages(messages),
    routes: (app) => searchRoutes(app, rules),
  };
}
