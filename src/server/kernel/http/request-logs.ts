/**
 * Fastify's lines about each request, said once at its end: by then the session has named the
 * user (see logAsUser), so the line carries the request id and the user id. The route pattern
 * stands for the URL, whose query can hold what people typed; bodies are never logged.
 */
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/** The route label of requests that matched no route (404s, probes): one value for all. */
export const UNMATCHED_ROUTE = 'unmatched';

export const routeOf = (request: FastifyRequest) => request.routeOptions.url ?? UNMATCHED_ROUTE;

export class RequestLogs extends LogController {
  /** Said at the end instead, with the user. */
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = {
      method: request.method,
      route: routeOf(request),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}
