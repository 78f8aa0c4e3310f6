/**
 * Everything the client says to the server and hears from it: the HTTP calls and the live
 * connection. Features reach the server only through a Transport.
 */
import { api as httpApi, type Api } from './http.js';
import { ServerConnection } from './server-connection.js';
import { createChatSocket, type ChatSocket } from './socket.js';

export {
  ApiError,
  setUnauthenticatedHandler,
  type Api,
  type ApiErrorCode,
  type LoginResult,
  type UsersById,
} from './http.js';
export {
  ServerConnection,
  type ConnectError,
  type MessageEvent,
  type MessageEventPayload,
} from './server-connection.js';
export type { ServerEvent, ServerEventPayloads } from './server-events.js';
export { SEND_ACK_TIMEOUT_MS, type ChatSocket } from './socket.js';

export interface Transport {
  api: Api;
  connection: ServerConnection;
}

/** The HTTP API (cookies of this origin) and a socket not connected yet. */
export function createTransport(
  api: Api = httpApi,
  socket: ChatSocket = createChatSocket(),
): Transport {
  return { api, connection: new ServerConnection(socket) };
}

/** The HTTP API alone, for the screens before sign-in. */
export const api: Api = httpApi;
