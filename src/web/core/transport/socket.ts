/** The Socket.IO connection to the server, typed with the shared event declarations. */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../protocol/index.js';

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How long a sent message may wait for the server's ack before it counts as failed. */
export const SEND_ACK_TIMEOUT_MS = 10_000;

/**
 * Same origin: the session cookie authenticates the handshake. Not connected yet, so the caller
 * can attach its listeners first and lose no event.
 */
export function createChatSocket(): ChatSocket {
  return io({
    autoConnect: false,
    // General and group messages arrive as one `message.batch` per room every few ms instead of
    // one `message` each, and presence changes as one `user.presence` per second: less work per
    // event for the server and for this page.
    auth: { messageBatch: true, presenceBatch: true },
    // WebSocket first, long-polling only where WebSocket fails (some proxies): no upgrade step,
    // whose window lets a tab closed right after opening look online until the ping timeout.
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    // Reconnect quickly after a server restart, but never hammer it.
    reconnectionDelay: 500,
    reconnectionDelayMax: 4000,
  });
}
