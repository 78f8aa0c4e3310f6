/** Typing indicators: relayed live to the room, never stored, limited per user and room. */
import type { HandleClientEvent } from '../../kernel/realtime/acks.js';
import type { FanOut } from '../../kernel/realtime/fan-out.js';
import type { RedisClient } from '../../kernel/redis/client.js';
import { RedisTypingStarts } from './redis-store.js';
import { type SocketRoomAccess, listenToTyping } from './socket-handlers.js';

/** Nothing to call: its client event is answered through the shared handlers (`handle`). */
export type TypingFeature = Record<never, never>;

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
  listenToTyping(deps.rooms, deps.fanOut, deps.handle, starts, deps.intervalMs);
  return {};
}
