/**
 * The closed set of reasons the server refuses a request. Every refusal carries one of these codes
 * and a sentence naming the rule that was broken: `{ message, code }` over HTTP and
 * `{ ok: false, error: { code, message } }` in Socket.IO acknowledgements.
 */
export const ERROR_CODES = [
  'bad_request',
  'invalid_credentials',
  'unauthenticated',
  'forbidden',
  'not_member',
  'not_author',
  'not_found',
  'conflict',
  'rate_limited',
  'unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The HTTP status that goes with each code. */
export const HTTP_STATUS_BY_CODE: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_credentials: 401,
  unauthenticated: 401,
  forbidden: 403,
  not_member: 403,
  not_author: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** The JSON body of every HTTP error response. */
export interface ErrorBody {
  message: string;
  code: ErrorCode;
}
