import type { FastifyInstance } from 'fastify';
import { serveRoute } from '../../kernel/http/routes.js';
import { requireUser } from '../../kernel/sessions/http-session.js';
import type { ReactionRules } from './rules.js';

export function reactionRoutes(app: FastifyInstance, rules: ReactionRules) {
  /** The reactions of the messages a client has on screen. */
  serveRoute(app, 'reactions', async (request) =>
    rules.read(requireUser(request), request.params.id, request.query['ids[]']),
  );
}
