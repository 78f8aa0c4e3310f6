import type { FastifyInstance } from 'fastify';
import { usersQuerySchema } from '../../../protocol/schemas.js';
import { requireUser } from '../../kernel/sessions/http-session.js';
import { parseInput } from '../../kernel/validation.js';
import type { PresenceDirectory } from './rules.js';

export function presenceRoutes(app: FastifyInstance, directory: PresenceDirectory) {
  /** Users who are online now, keyed by id. */
  app.get('/users/online', async (request) => {
    requireUser(request);
    return directory.onlineUsers();
  });

  /** Users by id (`?ids[]=1&ids[]=2`), keyed by id, with their presence; unknown ids are left out. */
  app.get('/users', async (request) => {
    requireUser(request);
    const query = parseInput(usersQuerySchema, request.query);
    return directory.usersByIds(query['ids[]']);
  });
}
