/**
 * One place turns failures into HTTP answers: refusals (AppError) keep their code and sentence,
 * Fastify's own client errors (bad JSON, oversized bodies) become 400s that say what was wrong, and
 * anything else is logged with the request and answered without internals.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody, ErrorCode } from '../../protocol/errors.js';
import { HTTP_STATUS_BY_CODE } from '../../protocol/errors.js';
import { BODY_LIMIT_BYTES } from '../../protocol/limits.js';
import { AppError } from '../domain/errors.js';

export function sendError(reply: FastifyReply, code: ErrorCode, message: string) {
  const body: ErrorBody = { message, code };
  return reply.status(HTTP_STATUS_BY_CODE[code]).send(body);
}

/** Fastify's parser errors, in words a client developer can act on. */
const FASTIFY_CLIENT_ERRORS: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'body is empty; send a JSON object',
  FST_ERR_CTP_BODY_TOO_LARGE: `body is larger than ${BODY_LIMIT_BYTES / 1024} KiB`,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'body must be JSON (Content-Type: application/json)',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length does not match the body',
};

export function installErrorHandler(app: FastifyInstance, redisIsDown: () => boolean) {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      if (error.retryAfterS !== undefined) reply.header('Retry-After', String(error.retryAfterS));
      return sendError(reply, error.code, error.message);
    }
    const clientError = error.code ? FASTIFY_CLIENT_ERRORS[error.code] : undefined;
    if (clientError) return sendError(reply, 'bad_request', clientError);
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(reply, 'bad_request', error.message);
    }
    if (redisIsDown()) {
      return sendError(reply, 'unavailable', 'the chat database is unreachable; try again');
    }
    request.log.error({ err: error, url: request.url }, 'request failed');
    return sendError(reply, 'internal', 'internal error');
  });
}
