import type { FastifyInstance } from 'fastify';
import { THREAD_PAGE_SIZE_DEFAULT } from '../../../protocol/limits.js';
import { serveRoute } from '../../kernel/http/routes.js';
import { requireUser } from '../../kernel/sessions/http-session.js';
import type { ThreadRules } from './rules.js';

export function threadRoutes(app: FastifyInstance, rules: ThreadRules) {
  /** A thread's first message and a page of its replies (the side panel). */
  serveRoute(app, 'thread', async (request) => {
    const { id: roomId, messageId } = request.params;
    const { before, size = THREAD_PAGE_SIZE_DEFAULT } = request.query;
    return rules.read(requireUser(request), roomId, messageId, before, size);
  });
}
