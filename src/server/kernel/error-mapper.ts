/**
 * The one mapping from a failure to what a client is told, for HTTP answers and Socket.IO acks
 * alike: a refusal (AppError) keeps its code and sentence; input the contract's schemas refused
 * is `bad_request` naming every broken rule; a failure while Redis is unreachable is
 * `unavailable`, which tells the client to try again; anything else is logged with its context
 * and answered as `internal`, without details.
 */
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorCode } from '../../protocol/errors.js';
import { describeValidationError } from '../../protocol/schemas.js';
import { AppError } from './errors.js';

/** What a client is told about a failed request or event. */
export interface Refusal {
  code: ErrorCode;
  message: string;
  /** Seconds after which a rate-limited request may be retried. */
  retryAfterS?: number;
}

/** Where unexpected failures are logged (a pino logger, or Fastify's request logger). */
export interface FailureLog {
  error(context: object, message: string): void;
}

/**
 * node-redis errors that mean "Redis is away right now". A command can fail with one of them a
 * moment before the client stops calling itself ready, so both are asked.
 */
const REDIS_UNAVAILABLE_ERRORS = new Set([
  'ClientOfflineError',
  'ClientClosedError',
  'SocketClosedUnexpectedlyError',
  'ConnectionTimeoutError',
  'ReconnectStrategyError',
  // A Redis Cluster command past its deadline (kernel/redis/cluster.ts), during a failover.
  'ClusterCommandTimeoutError',
  // No answer within REDIS_COMMAND_TIMEOUT_MS: a command, a transaction, a silent connection.
  'TimeoutError',
  'CommandTimeoutError',
  'SocketTimeoutError',
]);

const isRedisUnavailable = (error: unknown) =>
  error instanceof Error && REDIS_UNAVAILABLE_ERRORS.has(error.constructor.name);

export const REDIS_UNAVAILABLE_MESSAGE = 'the chat database is unreachable; try again';

/** Counts refusals by rate limits (the instance's metrics). */
export interface RefusalCounter {
  rateLimited(limit: string): void;
}

export class ErrorMapper {
  constructor(
    /** True while the command connection to Redis is not ready. */
    private readonly redisIsDown: () => boolean,
    private readonly counter: RefusalCounter = { rateLimited: () => undefined },
  ) {}

  toRefusal(error: unknown, log: FailureLog, context: object): Refusal {
    if (error instanceof AppError) {
      if (error.code === 'rate_limited') this.counter.rateLimited(error.limit ?? 'other');
      const refusal: Refusal = { code: error.code, message: error.message };
      if (error.retryAfterS !== undefined) refusal.retryAfterS = error.retryAfterS;
      return refusal;
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      // The type provider reports zod's issues with JSON-pointer paths ("/ids[]/1"). A path
      // param's name is the URL pattern's (`:id`); its messages name it as clients know it.
      const inPath = error.validationContext === 'params';
      const issues = error.validation.map(({ instancePath, message }) => ({
        path: inPath ? [] : instancePath.split('/').slice(1).filter(Boolean),
        message: message ?? 'invalid',
      }));
      return { code: 'bad_request', message: describeValidationError(issues) };
    }
    if (this.redisIsDown() || isRedisUnavailable(error)) {
      return { code: 'unavailable', message: REDIS_UNAVAILABLE_MESSAGE };
    }
    log.error({ err: error, ...context }, 'request failed');
    return { code: 'internal', message: 'internal error' };
  }
}
