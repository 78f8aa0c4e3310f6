import type { FastifyInstance } from 'fastify';
import { sendError } from './error-handler.js';
import { serveRoute } from './routes.js';

export interface SystemRouteOptions {
  sourceUrl: string | null;
  /** Resolves when Redis answers a PING within a short deadline. */
  pingRedis: () => Promise<void>;
}

export function systemRoutes(app: FastifyInstance, options: SystemRouteOptions) {
  /** Links for the client's header (the seed's deploy buttons). */
  serveRoute(app, 'links', async () => (options.sourceUrl ? { github: options.sourceUrl } : {}));

  /** Liveness: the process answers. */
  serveRoute(app, 'liveness', async () => ({ status: 'ok' as const }));

  /** Readiness: Redis answers too. A load balancer takes the instance out while it doesn't. */
  serveRoute(app, 'readiness', async (_request, reply) => {
    try {
      await options.pingRedis();
      return { status: 'ok' as const };
    } catch {
      return sendError(reply, 'unavailable', 'Redis is unreachable');
    }
  });
}
