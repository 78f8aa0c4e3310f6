import type { ErrorCode } from '../../protocol/errors.js';

/**
 * A refusal that the client is allowed to see: a code from the protocol's closed set and a sentence
 * naming the rule that was broken. Anything else thrown is an internal error, logged and answered
 * without details.
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Seconds after which a rate-limited request may be retried. */
    readonly retryAfterS?: number,
    /** Which limit refused a rate-limited request (login, message, typing, …): a metrics label. */
    readonly limit?: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new AppError('bad_request', message);
export const notFound = (message: string) => new AppError('not_found', message);
export const forbidden = (message: string) => new AppError('forbidden', message);
export const unauthenticated = (message = 'sign in first: this needs a session') =>
  new AppError('unauthenticated', message);
/** A refusal by a rate limit; `limit` names it in the metrics (chat_rate_limited_total). */
export const rateLimited = (message: string, retryAfterS: number, limit: string) =>
  new AppError('rate_limited', message, retryAfterS, limit);
