import type { FastifyInstance } from 'fastify';
import { usersQuerySchema } from '../../../protocol/schemas.js';
import type { ChatService } from '../../domain/chat-service.js';
import { requireUser } from '../../kernel/sessions/http-session.js';
import { parseInput } from '../../kernel/validation.js';

export function userRoutes(app: FastifyInstance, chat: ChatService) {
  /** Users who are online now, keyed by id. */
  app.get('/users/online', async (request) => {
    requireUser(request);
    return chat.onlineUsers();
  });

  /** Users by id (`?ids[]=1&ids[]=2`), keyed by id, with their presence; unknown ids are left out. */
  app.get('/users', async (request) => {
    requireUser(request);
    const query = parseInput(usersQuerySchema, request.query);
    return chat.usersByIds(query['ids[]']);
  });
}
