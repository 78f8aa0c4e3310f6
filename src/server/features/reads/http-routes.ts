import type { FastifyInstance } from 'fastify';
import { serveRoute } from '../../kernel/http/routes.js';
import type { FanOut } from '../../kernel/realtime/fan-out.js';
import { requireUser } from '../../kernel/sessions/http-session.js';
import type { ReadRules } from './rules.js';

export function readRoutes(app: FastifyInstance, reads: ReadRules, fanOut: FanOut) {
  /** Moves the caller's read marker; every tab and device of theirs is told. */
  serveRoute(app, 'markRead', async (request) => {
    const user = requireUser(request);
    const marker = await reads.markRead(user, request.params.id, request.body.messageId);
    fanOut.toUser(user.id, 'room.read', marker);
    return marker;
  });
}
