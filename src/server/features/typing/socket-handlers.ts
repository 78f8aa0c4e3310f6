import type { HandleClientEvent } from '../../kernel/realtime/acks.js';
import type { FanOut } from '../../kernel/realtime/fan-out.js';
import type { ChatSocket } from '../../kernel/realtime/socket-types.js';
import type { TypingStarts } from './ports.js';
import { TypingWindow } from './rules.js';

/** What the handler needs of the rooms feature. */
export interface SocketRoomAccess {
  ensureSocketAccess(socket: ChatSocket, roomId: string): Promise<void>;
}

/** Registers the typing handler, shared by every socket. */
export function listenToTyping(
  rooms: SocketRoomAccess,
  fanOut: FanOut,
  handle: HandleClientEvent,
  starts: TypingStarts,
  intervalMs: number,
): void {
  // Made on a socket's first notice: most sockets never type, and an idle one costs nothing.
  const windows = new WeakMap<ChatSocket, TypingWindow>();
  handle.on('typing', async (socket, { roomId, typing }) => {
    await rooms.ensureSocketAccess(socket, roomId);
    const { userId, username } = socket.data;
    let window = windows.get(socket);
    if (!window) {
      window = new TypingWindow(userId, starts, intervalMs);
      windows.set(socket, window);
    }
    if (await window.notice(roomId, typing)) {
      const notice = { roomId, userId, username, typing };
      // To everyone in the room but the typing socket itself.
      fanOut.fromSocketToRoom(socket, roomId, 'typing', notice);
    }
    return {};
  });
}
