/**
 * The HTTP API as typed functions. Every refusal becomes an ApiError carrying the server's
 * `{ message, code }`, so screens can explain which rule was broken; a lost network becomes an
 * ApiError with code 'network'.
 */
import { z } from 'zod';
import {
  pathOf,
  routes,
  type ErrorBody,
  type ErrorCode,
  type RouteDeclaration,
  type RouteInput,
  type RouteName,
  type RouteResult,
  type RouteSuccess,
  type Routes,
  type RoomVisibility,
  type CurrentUser,
  type UsersById,
} from '../../../protocol/index.js';

export type ApiErrorCode = ErrorCode | 'network';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    /** From Retry-After on 429 answers: seconds to wait before trying again. */
    readonly retryAfterS: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type { UsersById };

export interface LoginResult {
  /** With `admin`: whether the user administers. */
  user: CurrentUser;
  /** True when the name did not exist and was registered (201). */
  registered: boolean;
}

/** Called on any 401 `unauthenticated` answer: the session is gone (expired, or logged out elsewhere). */
let onUnauthenticated: (() => void) | null = null;
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorBody).message === 'string' &&
    typeof (value as ErrorBody).code === 'string'
  );
}

/** The query string of a call: the route's query schema encodes numbers (and lists) to text. */
function queryStringOf(route: RouteDeclaration, query: unknown): string {
  if (!route.query || query === undefined) return '';
  const encoded = z.encode(route.query, query as never) as Record<string, unknown>;
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(encoded)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, String(item));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

const unexpectedAnswer = (status: number) =>
  new ApiError(status, 'internal', 'The server gave an answer this page does not understand.');

/** Requests sent and not answered yet. */
const inFlight = new Set<Promise<unknown>>();
/** How long ending a session waits for the requests already sent (ms). */
const SETTLE_BEFORE_SIGN_OUT_MS = 3000;

/**
 * Waits until the requests already sent have answered (or a few seconds have passed), so that
 * none of them meets the session this page is about to end: each would answer 401 and the
 * browser would report it as an error.
 */
async function settled(): Promise<void> {
  if (inFlight.size === 0) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    Promise.allSettled([...inFlight]),
    new Promise((done) => (timer = setTimeout(done, SETTLE_BEFORE_SIGN_OUT_MS))),
  ]);
  clearTimeout(timer);
}

/**
 * Calls one route of the shared route table (protocol/routes.ts): its method and path, its
 * params, query and body as the table types them, and its answer checked against the schema the
 * table declares for that status. No path or shape is written anywhere else in the client.
 */
export async function call<N extends RouteName>(
  name: N,
  ...[input]: keyof RouteInput<Routes[N]> extends never ? [] : [RouteInput<Routes[N]>]
): Promise<RouteSuccess<Routes[N]>> {
  const route: RouteDeclaration = routes[name];
  const { params, query, body } = (input ?? {}) as {
    params?: Record<string, string>;
    query?: unknown;
    body?: unknown;
  };
  const path = pathOf(route, params) + queryStringOf(route, query);
  // Every POST carries a JSON body (the server refuses state changes that are not JSON).
  const payload = route.method === 'POST' ? JSON.stringify(body ?? {}) : undefined;
  let response: Response;
  let text: string;
  const sent = fetch(path, {
    method: route.method,
    credentials: 'same-origin',
    headers:
      payload === undefined
        ? { accept: 'application/json' }
        : { accept: 'application/json', 'content-type': 'application/json' },
    body: payload,
  }).then(async (answer) => ({ answer, text: await answer.text() }));
  inFlight.add(sent);
  try {
    ({ answer: response, text } = await sent);
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection.');
  } finally {
    inFlight.delete(sent);
  }
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!response.ok) {
    const retryAfter = Number(response.headers.get('retry-after'));
    const error = isErrorBody(parsed)
      ? new ApiError(response.status, parsed.code, parsed.message, retryAfter || null)
      : new ApiError(response.status, 'internal', `The server answered ${response.status}.`);
    if (error.code === 'unauthenticated') onUnauthenticated?.();
    throw error;
  }
  const answer = route.ok[response.status];
  if (!answer) throw unexpectedAnswer(response.status);
  const received =
    answer.mediaType === 'application/json' ? parsed : answer.mediaType === null ? undefined : text;
  const checked = answer.schema.safeParse(received);
  if (!checked.success) throw unexpectedAnswer(response.status);
  return { status: response.status, body: checked.data } as RouteSuccess<Routes[N]>;
}

async function bodyOf<N extends RouteName>(
  name: N,
  ...input: keyof RouteInput<Routes[N]> extends never ? [] : [RouteInput<Routes[N]>]
): Promise<RouteResult<Routes[N]>> {
  return (await call(name, ...input)).body;
}

export const api = {
  me: () => bodyOf('me'),

  async login(username: string, password: string): Promise<LoginResult> {
    const { status, body } = await call('login', { body: { username, password } });
    return { user: body, registered: status === 201 };
  },

  logout: async (): Promise<null> => {
    await settled();
    await call('logout');
    return null;
  },

  /** Ends every session of the user, this one included. */
  logoutAll: async (): Promise<null> => {
    await settled();
    await call('logoutAll');
    return null;
  },

  /** 401 `invalid_credentials` when `current` is wrong; the user's other sessions end. */
  changePassword: async (current: string, password: string): Promise<null> => {
    await call('changePassword', { body: { current, password } });
    return null;
  },

  rooms: (userId: string) => bodyOf('roomsOf', { params: { userId } }),

  openPrivateRoom: (user1: string, user2: string) =>
    bodyOf('openPrivateRoom', { body: { user1, user2 } }),

  /** A page counted from the newest message, newest first. */
  messagesPage: (roomId: string, offset: number, size: number) =>
    bodyOf('messages', { params: { id: roomId }, query: { offset, size } }),

  /** The messages after a known one, oldest first: what was missed while disconnected. */
  messagesAfter: (roomId: string, afterId: string, size: number) =>
    bodyOf('messages', { params: { id: roomId }, query: { after: afterId, size } }),

  /** A message and those around it (half older, half newer), newest first. */
  messagesAround: (roomId: string, messageId: string, size: number) =>
    bodyOf('messages', { params: { id: roomId }, query: { around: messageId, size } }),

  /** A page of search hits, newest first: in one room, or in all the caller's rooms. */
  search: (q: string, options: { roomId?: string; before?: string; size?: number } = {}) =>
    bodyOf('search', { query: { q, ...options } }),

  markRead: (roomId: string, messageId: string) =>
    bodyOf('markRead', { params: { id: roomId }, body: { messageId } }),

  /** The rooms the user muted, and muting or unmuting one (each answers the list afterwards). */
  mutedRooms: () => bodyOf('mutedRooms'),
  muteRoom: (roomId: string) => bodyOf('muteRoom', { params: { id: roomId } }),
  unmuteRoom: (roomId: string) => bodyOf('unmuteRoom', { params: { id: roomId } }),

  /** How far the other member of a private room has read it. */
  seenBy: (roomId: string) => bodyOf('seenBy', { params: { id: roomId } }),

  onlineUsers: () => bodyOf('onlineUsers'),

  /** Creates a group room; 409 `conflict` when the name is taken (ignoring case). */
  createRoom: (name: string, visibility: RoomVisibility) =>
    bodyOf('createRoom', { body: { name, visibility } }),

  /** A page of public group rooms with a word starting with `search`; `after`: the last `next`. */
  directory: (search: string, after?: string) =>
    bodyOf('directory', { query: after === undefined ? { search } : { search, after } }),

  joinRoom: (roomId: string) => bodyOf('joinRoom', { params: { id: roomId } }),

  leaveRoom: async (roomId: string): Promise<null> => {
    await call('leaveRoom', { params: { id: roomId } });
    return null;
  },

  /**
   * An administrator bans a user (their sessions end everywhere, sign-in answers 403 banned);
   * 403 `forbidden` for anyone else, or for an administrator as the target.
   */
  banUser: async (userId: string): Promise<null> => {
    await call('banUser', { params: { id: userId } });
    return null;
  },

  /** Adds a user (by id) to a group room the caller is a member of. */
  invite: (roomId: string, userId: string) =>
    bodyOf('invite', { params: { id: roomId }, body: { userId } }),

  /** The members of a room with their presence, sorted by name (General: everyone). */
  members: (roomId: string) => bodyOf('members', { params: { id: roomId } }),

  users: (ids: string[]) => bodyOf('users', { query: { 'ids[]': ids } }),

  /** The reactions of some messages of a room (at most REACTION_IDS_MAX ids). */
  reactions: (roomId: string, messageIds: string[]) =>
    bodyOf('reactions', { params: { id: roomId }, query: { 'ids[]': messageIds } }),

  /** A thread's first message and its newest replies (or those before `before`), oldest first. */
  thread: (roomId: string, messageId: string, query: { before?: string; size?: number }) =>
    bodyOf('thread', { params: { id: roomId, messageId }, query }),
};

export type Api = typeof api;
