import type { ChatSocket } from '../../kernel/realtime/socket-types.js';
import type { PresenceTracker } from './presence-tracker.js';

/** A connection counts for its user's presence until it closes. */
export function presenceOnConnection(tracker: PresenceTracker, socket: ChatSocket): void {
  socket.on('disconnect', () => tracker.disconnected(socket));
  tracker.connected(socket);
}
