/**
 * Reacting over Socket.IO: the change is answered to the reactor and, when it changed anything,
 * sent to the room's audience on every instance (the reactor's other tabs included).
 */
import type { HandleClientEvent } from '../../kernel/realtime/acks.js';
import type { FanOut } from '../../kernel/realtime/fan-out.js';
import { type ChatSocket, sessionUserOf } from '../../kernel/realtime/socket-types.js';
import type { ReactionOutcome, ReactionRules } from './rules.js';

/** What the handlers need of the rooms feature. */
export interface SocketRoomAccess {
  ensureSocketAccess(socket: ChatSocket, roomId: string): Promise<void>;
}

/** Registers the reaction handlers, shared by every socket. */
export function listenToReactions(
  rules: ReactionRules,
  rooms: SocketRoomAccess,
  fanOut: FanOut,
  handle: HandleClientEvent,
): void {
  const tell = ({ reactions, changed }: ReactionOutcome) => {
    if (changed) {
      // The message may still wait in a batch window: it goes first, so no socket gets
      // reactions for a message it has not been given yet.
      fanOut.flushMessages();
      fanOut.toRoom(reactions.roomId, 'message.reactions', reactions);
    }
    return { reactions: reactions };
  };

  handle.on('reaction.add', async (socket, { roomId, messageId, emoji }) => {
    await rooms.ensureSocketAccess(socket, roomId);
    return tell(await rules.add(sessionUserOf(socket), roomId, messageId, emoji));
  });

  handle.on('reaction.remove', async (socket, { roomId, messageId, emoji }) => {
    await rooms.ensureSocketAccess(socket, roomId);
    return tell(await rules.remove(sessionUserOf(socket), roomId, messageId, emoji));
  });
}
