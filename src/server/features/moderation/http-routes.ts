import type { FastifyInstance } from 'fastify';
import { serveRoute } from '../../kernel/http/routes.js';
import { requireUser } from '../../kernel/sessions/http-session.js';
import type { ModerationRules } from './rules.js';

export function moderationRoutes(app: FastifyInstance, moderation: ModerationRules) {
  serveRoute(app, 'banUser', async (request, reply) => {
    await moderation.banAs(requireUser(request), request.params.id);
    return reply.status(204).send();
  });

  serveRoute(app, 'unbanUser', async (request, reply) => {
    await moderation.unbanAs(requireUser(request), request.params.id);
    return reply.status(204).send();
  });
}
