import type { FastifyInstance } from 'fastify';
import { sendError } from './error-handler.js';

export interface SystemRouteOptions {
  sourceUrl: string | null;
  /** Resolves when Redis answers a PING within a short deadline. */
  pingRedis: () => Promise<void>;
}

export function systemRoutes(app: FastifyInstance, options: SystemRouteOptions) {
  /** Links for the client's header (the seed's deploy buttons). */
  app.get('/links', async () => (options.sourceUrl ? { github: options.sourceUrl } : {}));

  /** Liveness: the process answers. */
  app.get('/healthz', async () => ({ status: 'ok' }));

  /** Readiness: Redis answers too. A load balancer takes the instance out while it doesn't. */
  app.get('/readyz', async (_request, reply) => {
    try {
      await options.pingRedis();
      return { status: 'ok' };
    } catch {
      return sendError(reply, 'unavailable', 'Redis is unreachable');
    }
  });
}
