/** Typing indicators: relayed live to the room, never stored, limited per user and room. */
import type { HandleClientEvent } from '../../kernel/realtime/acks.js';
import type { FanOut } from '../../kernel/realtime/fan-out.js';
import type { ChatSocket } from '../../kernel/realtime/socket-types.js';
import type { RedisClient } from '../../kernel/redis/client.js';
import { RedisTypingStarts } from './redis-store.js';
import { type SocketRoomAccess, typingOnConnection } from './socket-handlers.js';

export interface TypingFeature {
  onConnection(socket: ChatSocket): void;
}

export interface TypingDeps {
  redis: RedisClient;
  rooms: SocketRoomAccess;
  fanOut: FanOut;
  handle: HandleClientEvent;
  /** Milliseconds between two starts of one user in one room (TYPING_INTERVAL_MS); 0: no limit. */
  intervalMs: number;
}

export function createTyping(deps: TypingDeps): TypingFeature {
  const starts = new RedisTypingStarts(deps.redis);
  return {
    onConnection: (socket) =>
      typingOnConnection(deps.rooms, deps.fanOut, deps.handle, socket, starts, deps.intervalMs),
  };
}
