import type { FastifyInstance } from 'fastify';
import { serveRoute } from '../../kernel/http/routes.js';
import { requireUser } from '../../kernel/sessions/http-session.js';
import type { SearchRules } from './rules.js';

export function searchRoutes(app: FastifyInstance, search: SearchRules) {
  serveRoute(app, 'search', async (request) => search.search(requireUser(request), request.query));
}
