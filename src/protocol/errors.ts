/**
 * The closed set of reasons the server refuses a request. Every refusal carries one of these codes
 * and a sentence naming the rule that was broken: `{ message, code }` over HTTP and
 * `{ ok: false, error: { code, message } }` in Socket.IO acknowledgements.
 */
import { z } from 'zod';

export const ERROR_CODES = [
  'bad_request',
  'control_characters',
  'bidi_controls',
  'invisible_text',
  'invalid_credentials',
  'unauthenticated',
  'forbidden',
  'not_member',
  'not_author',
  'not_found',
  'conflict',
  'unsupported_media_type',
  'too_large',
  'quota_exceeded',
  'rate_limited',
  'too_many_connections',
  'limit_reached',
  'recently_left',
  'unavailable',
  'internal',
  // moderation
  'banned',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The HTTP status that goes with each code. */
export const HTTP_STATUS_BY_CODE = {
  bad_request: 400,
  control_characters: 400,
  bidi_controls: 400,
  invisible_text: 400,
  invalid_credentials: 401,
  unauthenticated: 401,
  forbidden: 403,
  not_member: 403,
  not_author: 403,
  not_found: 404,
  conflict: 409,
  unsupported_media_type: 415,
  too_large: 413,
  quota_exceeded: 429,
  rate_limited: 429,
  too_many_connections: 429,
  limit_reached: 409,
  recently_left: 409,
  unavailable: 503,
  internal: 500,
  banned: 403,
} as const satisfies Record<ErrorCode, number>;

/** The HTTP status of an error code, as a type. */
export type HttpStatusOf<C extends ErrorCode> = (typeof HTTP_STATUS_BY_CODE)[C];

/** What each code means, for the API documents. */
export const ERROR_MEANINGS: Record<ErrorCode, string> = {
  bad_request: 'the input breaks a rule, which the message names',
  control_characters:
    'the text holds control characters (messages may hold newlines and tabs, nothing else)',
  bidi_controls:
    'the text holds bidirectional override, embedding or isolate characters (U+202A–202E, U+2066–2069)',
  invisible_text: 'the text is only invisible characters (blanks, zero-width characters)',
  invalid_credentials: 'wrong username or password',
  unauthenticated: 'no signed-in session',
  forbidden: 'the caller may not do this',
  not_member: 'the caller is not a member of the room',
  not_author: 'only the author may change a message',
  not_found: 'what the request names does not exist (or is hidden from the caller)',
  conflict: 'the request clashes with the current state (a taken name, a concurrent change)',
  unsupported_media_type:
    'a body that changes something must be JSON (Content-Type: application/json)',
  rate_limited: 'too many attempts; Retry-After says when to try again',
  too_large: 'the upload is larger than MAX_UPLOAD_BYTES',
  quota_exceeded:
    'the user has uploaded as many bytes as allowed per day (UPLOAD_BYTES_PER_DAY, a file counting at least UPLOAD_MIN_CHARGE_BYTES); Retry-After says when more may be',
  too_many_connections:
    'the user has as many sockets and streams open as allowed (MAX_CONNECTIONS_PER_USER); close one',
  limit_reached: 'a fixed limit on what one thing may hold is reached (the message names it)',
  recently_left:
    'the user left that room lately and cannot be invited back yet (INVITE_COOLDOWN_S); ' +
    'Retry-After says when',
  unavailable: 'the database is unreachable; try again',
  internal: 'an unexpected failure on the server (logged there, never detailed)',
  banned: 'an administrator banned this account: it cannot sign in',
};

export const errorCodeSchema = z.enum(ERROR_CODES);

/** The JSON body of every HTTP error response. */
export const errorBodySchema = z
  .object({ message: z.string(), code: errorCodeSchema })
  .meta({ id: 'ErrorBody', description: 'A refusal: the rule that was broken, and its code.' });
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** The error body of one HTTP status, whose code is one of `codes` (all of that status). */
export const errorBodySchemaOf = (codes: readonly [ErrorCode, ...ErrorCode[]]) =>
  z.object({ message: z.string(), code: z.enum(codes) });

/** The `error` of a refused Socket.IO acknowledgement. */
export const ackErrorSchema = z.object({ code: errorCodeSchema, message: z.string() });
