/**
 * The HTTP API as typed functions. Every refusal becomes an ApiError carrying the server's
 * `{ message, code }`, so screens can explain which rule was broken; a lost network becomes an
 * ApiError with code 'network'.
 */
import type {
  ChatMessage,
  DirectoryRoom,
  ErrorBody,
  ErrorCode,
  ReadMarker,
  RoomSummary,
  RoomVisibility,
  SessionUser,
  UserPresence,
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

export type UsersById = Record<string, UserPresence>;

export interface LoginResult {
  user: SessionUser;
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

async function send<T>(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; data: T }> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : {
              accept: 'application/json',
              'content-type': 'application/json',
            },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection.');
  }
  const text = await response.text();
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
  return { status: response.status, data: parsed as T };
}

async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  return (await send<T>(method, path, body)).data;
}

const roomPath = (roomId: string) => `/room/${encodeURIComponent(roomId)}`;

export const api = {
  me: () => request<SessionUser | null>('GET', '/me'),

  async login(username: string, password: string): Promise<LoginResult> {
    const { status, data } = await send<SessionUser>('POST', '/login', { username, password });
    return { user: data, registered: status === 201 };
  },

  logout: () => request<null>('POST', '/logout', {}),

  rooms: (userId: string) => request<RoomSummary[]>('GET', `/rooms/${encodeURIComponent(userId)}`),

  openPrivateRoom: (user1: string, user2: string) =>
    request<RoomSummary>('POST', '/room', { user1, user2 }),

  /** A page counted from the newest message, newest first. */
  messagesPage: (roomId: string, offset: number, size: number) =>
    request<ChatMessage[]>('GET', `${roomPath(roomId)}/messages?offset=${offset}&size=${size}`),

  /** The messages after a known one, oldest first: what was missed while disconnected. */
  messagesAfter: (roomId: string, afterId: string, size: number) =>
    request<ChatMessage[]>(
      'GET',
      `${roomPath(roomId)}/messages?after=${encodeURIComponent(afterId)}&size=${size}`,
    ),

  markRead: (roomId: string, messageId: string) =>
    request<ReadMarker>('POST', `${roomPath(roomId)}/read`, { messageId }),

  onlineUsers: () => request<UsersById>('GET', '/users/online'),

  /** Creates a group room; 409 `conflict` when the name is taken (ignoring case). */
  createRoom: (name: string, visibility: RoomVisibility) =>
    request<RoomSummary>('POST', '/rooms', { name, visibility }),

  /** Public group rooms whose name contains `search`, ignoring case. */
  directory: (search: string) =>
    request<DirectoryRoom[]>('GET', `/rooms?search=${encodeURIComponent(search)}`),

  joinRoom: (roomId: string) => request<RoomSummary>('POST', `${roomPath(roomId)}/join`, {}),

  leaveRoom: (roomId: string) => request<null>('POST', `${roomPath(roomId)}/leave`, {}),

  /** Adds a user (by id) to a group room the caller is a member of. */
  invite: (roomId: string, userId: string) =>
    request<RoomSummary>('POST', `${roomPath(roomId)}/invite`, { userId }),

  /** The members of a room with their presence, sorted by name (General: everyone). */
  members: (roomId: string) => request<UserPresence[]>('GET', `${roomPath(roomId)}/members`),

  users: (ids: string[]) =>
    request<UsersById>(
      'GET',
      `/users?${ids.map((id) => `ids[]=${encodeURIComponent(id)}`).join('&')}`,
    ),
};

export type Api = typeof api;
