/**
 * What one entry of the HTTP route table (routes.ts) says, and what follows from it for both
 * sides: the server registers, validates and serializes each route from its entry, the web client
 * builds its request and checks the answer from the same entry, and the OpenAPI document is
 * generated from it. A route declares its successful answers and the refusals particular to it;
 * the refusals every route of its kind may give (below) are added here, so that no route can forget
 * one.
 */
import { z } from 'zod';
import {
  ERROR_MEANINGS,
  HTTP_STATUS_BY_CODE,
  type ErrorCode,
  type HttpStatusOf,
  errorBodySchemaOf,
} from './errors.js';

export type HttpMethod = 'GET' | 'POST';

/** The part of the system a route belongs to: its tag in the OpenAPI document. */
export type RouteTag =
  | 'auth'
  | 'presence'
  | 'rooms'
  | 'messages'
  | 'reads'
  | 'system'
  | 'interop'
  | 'search'
  | 'files'
  | 'reactions'
  | 'threads'
  | 'mutes'
  | 'moderation';

/** A body's media type; null for an answer without a body (204). */
export type MediaType =
  'application/json' | 'text/plain' | 'text/event-stream' | 'application/octet-stream' | null;

/** One answer of a route: its body's schema and media type, and what it means. */
export interface Answer<S extends z.ZodType = z.ZodType> {
  description: string;
  mediaType: MediaType;
  schema: S;
}

/** A JSON answer. */
export const json = <S extends z.ZodType>(schema: S, description: string): Answer<S> => ({
  description,
  mediaType: 'application/json',
  schema,
});

/** A text answer that is not JSON (a plain string, an event stream). */
export const text = (
  mediaType: 'text/plain' | 'text/event-stream',
  description: string,
): Answer<z.ZodString> => ({ description, mediaType, schema: z.string() });

/** The bytes of a file, of whatever type the route says it serves them with. */
export const bytes = (description: string): Answer<z.ZodString> => ({
  description,
  mediaType: 'application/octet-stream',
  schema: z.string().meta({ format: 'binary' }),
});

/** An answer without a body. */
export const noContent = (description: string): Answer<z.ZodUndefined> => ({
  description,
  mediaType: null,
  schema: z.undefined(),
});

/** One route of the HTTP API. */
export interface RouteDeclaration {
  method: HttpMethod;
  /** Fastify's syntax: `/room/:roomId/read`. Every `:name` is a key of `params`. */
  path: string;
  tag: RouteTag;
  /** One line for the API reference. */
  summary: string;
  description?: string;
  /**
   * True: refused with 401 `unauthenticated` without a signed-in session, before the input is
   * looked at (a client without a session learns that first, whatever it sent).
   */
  session: boolean;
  /**
   * Also open to a session that must still change a password an administrator reset (changing
   * it, signing out); every other session route refuses such a session with 403 `forbidden`.
   */
  beforePasswordChange?: true;
  params?: z.ZodObject;
  /** Query strings are text on the wire: schemas of numbers are codecs (the client encodes). */
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The answers when the request succeeds, by status. */
  ok: { readonly [status: number]: Answer };
  /** The refusals particular to this route (those implied by its kind are added below). */
  refusals?: readonly ErrorCode[];
}

/**
 * Refusals any route of a kind may give: `internal` and `unavailable` (Redis away) everywhere,
 * `unauthenticated` where a session is needed (and `forbidden` while it must change a password an
 * administrator reset), `bad_request` where there is input to refuse
 * (every POST has a body that can be malformed or too large), `unsupported_media_type` for a POST
 * whose body is not JSON, and `forbidden` for a POST from another site's page.
 */
type ImpliedRefusal<R extends RouteDeclaration> =
  | 'internal'
  | 'unavailable'
  | (R['session'] extends true ? 'unauthenticated' | 'forbidden' : never)
  | (R['method'] extends 'POST'
      ? 'bad_request' | 'unsupported_media_type' | 'forbidden'
      : R extends { params: z.ZodType } | { query: z.ZodType }
        ? 'bad_request'
        : never);

/** Every error code a route may answer. */
export type RefusalOf<R extends RouteDeclaration> =
  ImpliedRefusal<R> | (R['refusals'] extends readonly (infer C extends ErrorCode)[] ? C : never);

export type SuccessStatusOf<R extends RouteDeclaration> = keyof R['ok'] & number;
export type ErrorStatusOf<R extends RouteDeclaration> = HttpStatusOf<RefusalOf<R>>;

export function refusalsOf(route: RouteDeclaration): ErrorCode[] {
  const codes = new Set<ErrorCode>(route.refusals ?? []);
  if (route.session) codes.add('unauthenticated');
  if (route.session && !route.beforePasswordChange) codes.add('forbidden');
  if (route.method === 'POST' || route.params || route.query) codes.add('bad_request');
  if (route.method === 'POST') codes.add('forbidden');
  if (route.method === 'POST') codes.add('unsupported_media_type');
  codes.add('unavailable');
  codes.add('internal');
  return [...codes];
}

const allAnswers = new WeakMap<RouteDeclaration, ReadonlyMap<number, Answer>>();

/**
 * Every answer of a route by status: its successes, and for each error status one
 * `{message, code}` body whose code is one of the route's refusals with that status.
 */
export function answersOf(route: RouteDeclaration): ReadonlyMap<number, Answer> {
  const known = allAnswers.get(route);
  if (known) return known;
  const answers = new Map<number, Answer>(
    Object.entries(route.ok).map(([status, answer]) => [Number(status), answer]),
  );
  const codesByStatus = new Map<number, [ErrorCode, ...ErrorCode[]]>();
  for (const code of refusalsOf(route)) {
    const status = HTTP_STATUS_BY_CODE[code];
    const codes = codesByStatus.get(status);
    if (codes) codes.push(code);
    else codesByStatus.set(status, [code]);
  }
  for (const [status, codes] of codesByStatus) {
    answers.set(status, {
      description: codes.map((code) => `\`${code}\`: ${ERROR_MEANINGS[code]}`).join('; '),
      mediaType: 'application/json',
      schema: errorBodySchemaOf(codes),
    });
  }
  allAnswers.set(route, answers);
  return answers;
}

// --- what a client sends and gets -----------------------------------------------------------------

type Input<R, K extends string> = R extends { [key in K]: infer S extends z.ZodType }
  ? z.input<S>
  : never;

/** The path params a route's path names. */
export type PathParamsOf<Path extends string> = Path extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParamsOf<`/${Rest}`>
  : Path extends `${string}:${infer Name}`
    ? Name
    : never;

/**
 * What a call of a route takes: its path params, its query (as the code sees it: numbers for
 * numbers; the client encodes them to text) and its body, each only when the route has one.
 */
export type RouteInput<R extends RouteDeclaration> = ([Input<R, 'params'>] extends [never]
  ? unknown
  : { params: Input<R, 'params'> }) &
  (R extends { query: infer Q extends z.ZodType } ? { query: z.output<Q> } : unknown) &
  ([Input<R, 'body'>] extends [never] ? unknown : { body: Input<R, 'body'> });

/** A successful answer as the client gets it: its status and its checked body. */
export type RouteSuccess<R extends RouteDeclaration> = {
  [S in SuccessStatusOf<R>]: { status: S; body: z.output<R['ok'][S]['schema']> };
}[SuccessStatusOf<R>];

/** The body of a successful answer (any of the route's success statuses). */
export type RouteResult<R extends RouteDeclaration> = RouteSuccess<R>['body'];

/** Fills a route's path with its params, each percent-encoded. */
export function pathOf(route: RouteDeclaration, params: Record<string, string> = {}): string {
  return route.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${route.path}: no value for :${name}`);
    return encodeURIComponent(value);
  });
}
