import type { HandleClientEvent } from '../../kernel/realtime/acks.js';
import type { FanOut } from '../../kernel/realtime/fan-out.js';
import type { ChatSocket } from '../../kernel/realtime/socket-types.js';
import type { TypingStarts } from './ports.js';
import { TypingWindow } from './rules.js';

/** What the handler needs of the rooms feature. */
export interface SocketRoomAccess {
  ensureSocketAccess(socket: ChatSocket, roomId: string): Promise<void>;
}

export function typingOnConnection(
  rooms: SocketRoomAccess,
  fanOut: FanOut,
  handle: HandleClientEvent,
  socket: ChatSocket,
  starts: TypingStarts,
  intervalMs: number,
): void {
  const user = { id: socket.data.userId, username: socket.data.username };
  const window = new TypingWindow(user.id, starts, intervalMs);
  handle(socket, 'typing', async ({ roomId, typing }) => {
    await rooms.ensureSocketAccess(socket, roomId);
    if (await window.notice(roomId, typing)) {
      const notice = { roomId, userId: user.id, username: user.username, typing };
      // To everyone in the room but the typing socket itself.
      fanOut.fromSocketToRoom(socket, roomId, 'typing', notice);
    }
    return {};
  });
}
