/**
 * One place turns failures into HTTP answers: Fastify's own client errors (bad JSON, oversized
 * bodies) become 400s that say what was wrong, and everything else — input the route table's
 * schemas refused included — goes through the one error mapper that Socket.IO acks use too.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorBody, ErrorCode } from '../../../protocol/errors.js';
import { HTTP_STATUS_BY_CODE } from '../../../protocol/errors.js';
import { BODY_LIMIT_BYTES } from '../../../protocol/limits.js';
import { refusalsOf } from '../../../protocol/route-table.js';
import type { ErrorMapper } from '../error-mapper.js';
import { routeOfRequest } from './routes.js';

/**
 * Sends a refusal. The body is serialized here rather than by the route's schema: a refusal the
 * route table does not declare still reaches the client as what it is (and is logged, below).
 */
export function sendError(reply: FastifyReply, code: ErrorCode, message: string) {
  const body: ErrorBody = { message, code };
  return reply
    .status(HTTP_STATUS_BY_CODE[code])
    .type('application/json; charset=utf-8')
    .send(JSON.stringify(body));
}

/** Fastify's parser errors, in words a client developer can act on. */
const FASTIFY_CLIENT_ERRORS: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'body is empty; send a JSON object',
  FST_ERR_CTP_BODY_TOO_LARGE: `body is larger than ${BODY_LIMIT_BYTES / 1024} KiB`,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length does not match the body',
};

/** Fastify's (and its plugins') refusals of a malformed request: they carry a 4xx status. */
function fastifyClientError(error: unknown): string | null {
  if (hasZodFastifySchemaValidationErrors(error)) return null; // the error mapper words these
  const { code, statusCode, message } = error as Partial<FastifyError>;
  const known = code ? FASTIFY_CLIENT_ERRORS[code] : undefined;
  if (known) return known;
  if (statusCode && statusCode >= 400 && statusCode < 500) return message ?? 'bad request';
  return null;
}

/**
 * A body of another media type: what a cross-site form or `text/plain` fetch sends without the
 * browser asking the server first, so it gets its own code rather than a generic 400.
 */
const NOT_JSON = 'body must be JSON (Content-Type: application/json)';

export function installErrorHandler(app: FastifyInstance, errors: ErrorMapper) {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendError(reply, 'unsupported_media_type', NOT_JSON);
    }
    const clientError = fastifyClientError(error);
    if (clientError) return sendError(reply, 'bad_request', clientError);
    const refusal = errors.toRefusal(error, request.log, { url: request.url });
    const route = routeOfRequest(request);
    if (route && !refusalsOf(route).includes(refusal.code)) {
      request.log.error(
        { code: refusal.code, route: `${route.method} ${route.path}` },
        'a refusal the route table does not declare for this route',
      );
    }
    if (refusal.retryAfterS !== undefined) {
      reply.header('Retry-After', String(refusal.retryAfterS));
    }
    return sendError(reply, refusal.code, refusal.message);
  });
}
