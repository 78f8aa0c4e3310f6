/** Typing indicators: relayed live to the room, never stored. */
import type { HandleClientEvent } from '../../kernel/realtime/acks.js';
import type { FanOut } from '../../kernel/realtime/fan-out.js';
import type { ChatSocket } from '../../kernel/realtime/socket-types.js';
import { type SocketRoomAccess, typingOnConnection } from './socket-handlers.js';

export interface TypingFeature {
  onConnection(socket: ChatSocket): void;
}

export function createTyping(
  rooms: SocketRoomAccess,
  fanOut: FanOut,
  handle: HandleClientEvent,
): TypingFeature {
  return { onConnection: (socket) => typingOnConnection(rooms, fanOut, handle, socket) };
}
