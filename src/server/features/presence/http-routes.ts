import type { FastifyInstance } from 'fastify';
import { serveRoute } from '../../kernel/http/routes.js';
import { requireUser } from '../../kernel/sessions/http-session.js';
import type { PresenceDirectory } from './rules.js';

export function presenceRoutes(app: FastifyInstance, directory: PresenceDirectory) {
  /** Users who are online now, keyed by id. */
  serveRoute(app, 'onlineUsers', async (request) => {
    requireUser(request);
    return directory.onlineUsers();
  });

  /** Users by id (`?ids[]=1&ids[]=2`), keyed by id, with their presence; unknown ids are left out. */
  serveRoute(app, 'users', async (request) => {
    requireUser(request);
    return directory.usersByIds(request.query['ids[]']);
  });
}
