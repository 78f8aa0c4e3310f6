/**
 * Reacting over Socket.IO: the change is answered to the reactor and, when it changed anything,
 * sent to the room's audience on every instance (the reactor's other tabs included).
 */
import type { HandleClientEvent } from '../../kernel/realtime/acks.js';
import type { FanOut } from '../../kernel/realtime/fan-out.js';
import type { ChatSocket } from '../../kernel/realtime/socket-types.js';
import type { ReactionOutcome, ReactionRules } from './rules.js';

/** What the handlers need of the rooms feature. */
export interface SocketRoomAccess {
  ensureSocketAccess(socket: ChatSocket, roomId: string): Promise<void>;
}

export function reactionsOnConnection(
  rules: ReactionRules,
  rooms: SocketRoomAccess,
  fanOut: FanOut,
  handle: HandleClientEvent,
  socket: ChatSocket,
): void {
  const user = { id: socket.data.userId, username: socket.data.username };

  const tell = ({ reactions, changed }: ReactionOutcome) => {
    if (changed) {
      // The message may still wait in a batch window: it goes first, so no socket gets
      // reactions for a message it has not been given yet.
      fanOut.flushMessages();
      fanOut.toRoom(reactions.roomId, 'message.reactions', reactions);
    }
    return { reactions: reactions };
  };

  handle(socket, 'reaction.add', async ({ roomId, messageId, emoji }) => {
    await rooms.ensureSocketAccess(socket, roomId);
    return tell(await rules.add(user, roomId, messageId, emoji));
  });

  handle(socket, 'reaction.remove', async ({ roomId, messageId, emoji }) => {
    await rooms.ensureSocketAccess(socket, roomId);
    return tell(await rules.remove(user, roomId, messageId, emoji));
  });
}
