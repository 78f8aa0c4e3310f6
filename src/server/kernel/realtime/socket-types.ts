/**
 * The typed Socket.IO server and socket of this project, declared apart from any handler so that
 * every module can name them without importing another one's code.
 */
import type { Server, Socket } from 'socket.io';
import type {
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from '../../../protocol/events.js';
import type { SessionUser } from '../../../protocol/models.js';

export type ChatServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

export type ChatSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

/** The user a socket was opened for, read from its data when an event needs it. */
export function sessionUserOf(socket: ChatSocket): SessionUser {
  return { id: socket.data.userId, username: socket.data.username };
}
