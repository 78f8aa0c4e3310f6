/**
 * Threads: replies gathered under the message they answer, with each thread's reply count and
 * newest reply on its first message, in history and live. A reply is stored by the messages
 * feature like any message (it asks `threadOf` first); this feature lists it in its thread when
 * told it was posted, and tells the room.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ChatMessage } from '../../../protocol/models.js';
import type { ChatEvents, DomainEvents } from '../../kernel/domain-events.js';
import type { FanOut } from '../../kernel/realtime/fan-out.js';
import type { RedisClient } from '../../kernel/redis/client.js';
import { threadRoutes } from './http-routes.js';
import type { MessageLookup, RoomAccess } from './ports.js';
import { RedisThreadStore } from './redis-store.js';
import { ThreadRules } from './rules.js';

export interface ThreadsFeature {
  /** The thread a reply to `replyTo` joins (its first message's id); refused when it cannot. */
  threadOf(roomId: string, replyTo: string): Promise<string>;
  /** Each thread's first message in a page of history, with its summary. */
  withSummaries(roomId: string, messages: ChatMessage[]): Promise<ChatMessage[]>;
  routes(app: FastifyInstance): void;
}

export interface ThreadsDeps {
  redis: RedisClient;
  fanOut: FanOut;
  events: DomainEvents<ChatEvents>;
  rooms: RoomAccess;
  messages: MessageLookup;
  /** Replies one thread may hold (THREAD_REPLIES_MAX). */
  repliesMax: number;
  log: Logger;
}

export function createThreads(deps: ThreadsDeps): ThreadsFeature {
  const store = new RedisThreadStore(deps.redis);
  deps.events.on('messages.removed', ({ roomId, messages }) =>
    store.forget(
      roomId,
      messages.map((message) => message.id),
    ),
  );
  const rules = new ThreadRules({
    threads: store,
    rooms: deps.rooms,
    messages: deps.messages,
    repliesMax: deps.repliesMax,
  });
  // The reply is stored by then: a failed listing must not turn its send into an error (the
  // client would send it again), so it is logged; the reply then shows in the room only.
  deps.events.on('message.posted', async ({ message }) => {
    try {
      const summary = await rules.replied(message);
      if (summary) deps.fanOut.toRoom(summary.roomId, 'message.thread', summary);
    } catch (error) {
      deps.log.warn({ err: error, messageId: message.id }, 'threads: listing a reply failed');
    }
  });
  return {
    threadOf: (roomId, replyTo) => rules.threadOf(roomId, replyTo),
    withSummaries: (roomId, messages) => rules.withSummaries(roomId, messages),
    routes: (app) => threadRoutes(app, rules),
  };
}
