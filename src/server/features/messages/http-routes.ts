import type { FastifyInstance } from 'fastify';
import { messagesQuerySchema, roomIdSchema } from '../../../protocol/schemas.js';
import { requireUser } from '../../kernel/sessions/http-session.js';
import { parseInput } from '../../kernel/validation.js';
import type { MessageRules } from './rules.js';

export function messageRoutes(app: FastifyInstance, messages: MessageRules) {
  /** General with its newest messages, for the first screen. */
  app.get('/room/0/preload', async (request) => messages.preloadGeneral(requireUser(request)));

  /**
   * Messages of a room: `?offset&size` pages from the newest, newest first (the seed's API);
   * `?after=<message id>&size` gives what followed that message, oldest first (catching up).
   */
  app.get<{ Params: { id: string } }>('/room/:id/messages', async (request) => {
    const user = requireUser(request);
    const roomId = parseInput(roomIdSchema, request.params.id);
    const { offset, size, after } = parseInput(messagesQuerySchema, request.query);
    return after === undefined
      ? messages.readPage(user, roomId, offset, size)
      : messages.readAfter(user, roomId, after, size);
  });
}
