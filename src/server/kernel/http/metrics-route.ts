/**
 * GET /metrics, the Prometheus exposition, and the hook that times every HTTP request by its
 * route pattern (`/room/:id/messages`, never the raw URL, so the number of series stays fixed).
 * With METRICS_TOKEN set, a scrape must present it as `Authorization: Bearer <token>`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ChatMetrics } from '../metrics/chat-metrics.js';
import { sendError } from './error-handler.js';
import { routeOf } from './request-logs.js';
import { serveRoute } from './routes.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Compares in constant time: hashing first gives both sides the same length. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim() ?? '';
  return timingSafeEqual(digest(presented), digest(token)) && presented.length > 0;
}

/** Registers the timing hook: call it before the routes it should see. */
export function timeHttpRequests(app: FastifyInstance, metrics: ChatMetrics): void {
  app.addHook('onResponse', (request, reply, done) => {
    metrics.httpRequest(
      request.method,
      routeOf(request),
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });
}

export function metricsRoute(
  app: FastifyInstance,
  metrics: ChatMetrics,
  token: string | null,
): void {
  serveRoute(app, 'metrics', async (request, reply) => {
    if (token !== null && !bearerMatches(request.headers.authorization, token)) {
      reply.header('WWW-Authenticate', 'Bearer realm="metrics"');
      return sendError(
        reply,
        'unauthenticated',
        'GET /metrics needs the header Authorization: Bearer <METRICS_TOKEN>',
      );
    }
    return reply.type(metrics.contentType).send(await metrics.exposition());
  });
}
