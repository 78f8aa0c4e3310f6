import type { FastifyInstance } from 'fastify';
import { PAGE_SIZE_DEFAULT } from '../../../protocol/limits.js';
import { serveRoute } from '../../kernel/http/routes.js';
import { requireUser } from '../../kernel/sessions/http-session.js';
import type { MessageRules } from './rules.js';

export function messageRoutes(app: FastifyInstance, messages: MessageRules) {
  /** General with its newest messages, for the first screen. */
  serveRoute(app, 'preloadGeneral', async (request) =>
    messages.preloadGeneral(requireUser(request)),
  );

  /**
   * Messages of a room: `?offset&size` pages from the newest, newest first (the seed's API);
   * `?after=<message id>&size` gives what followed that message, oldest first (catching up).
   */
  serveRoute(app, 'messages', async (request) => {
    const user = requireUser(request);
    const { id: roomId } = request.params;
    const { offset = 0, size = PAGE_SIZE_DEFAULT, after, around } = request.query;
    if (around !== undefined) return messages.readAround(user, roomId, around, size);
    return after === undefined
      ? messages.readPage(user, roomId, offset, size)
      : messages.readAfter(user, roomId, after, size);
  });
}
