/**
 * Posting, editing and deleting over Socket.IO. A new message goes to its room's audience on the
 * fan-out's fast path; a private room's first message goes after the room is shown, through the
 * adapter as the room went, so every socket gets the room before its message.
 */
import type { ChatMessage, RoomSummary } from '../../../protocol/models.js';
import type { HandleClientEvent } from '../../kernel/realtime/acks.js';
import type { FanOut } from '../../kernel/realtime/fan-out.js';
import { type ChatSocket, sessionUserOf } from '../../kernel/realtime/socket-types.js';
import type { MessageRules } from './rules.js';

/** Counts the messages stored (the instance's metrics). */
export interface SentCounter {
  messageSent(roomId: string): void;
}

/** What the handlers need of the rooms feature. */
export interface SocketRooms {
  ensureSocketAccess(socket: ChatSocket, roomId: string): Promise<void>;
  show(room: RoomSummary): void;
}

/** Registers the message handlers, shared by every socket. */
export function listenToMessages(
  messages: MessageRules,
  rooms: SocketRooms,
  fanOut: FanOut,
  handle: HandleClientEvent,
  counter: SentCounter,
): void {
  handle.on('message', async (socket, { roomId, message: text, clientId, replyTo, files }) => {
    await rooms.ensureSocketAccess(socket, roomId);
    const user = sessionUserOf(socket);
    const posted = await messages.post(user, roomId, text, clientId, replyTo, files);
    const { message, newPrivateRoom, repeated } = posted;
    // A retry after a lost ack: the first send was stored and delivered already.
    if (repeated) return { message };
    counter.messageSent(roomId);
    if (newPrivateRoom) {
      rooms.show(newPrivateRoom);
      fanOut.toRoom(roomId, 'message', message);
    } else {
      fanOut.message(message);
    }
    return { message };
  });

  const changed = (message: ChatMessage) => broadcastChange(fanOut, message);

  handle.on('message.edit', async (socket, { roomId, id, message: text }) => {
    await rooms.ensureSocketAccess(socket, roomId);
    const edited = await messages.edit(sessionUserOf(socket), roomId, id, text);
    const { message, changed: didChange } = edited;
    if (didChange) changed(message);
    return { message };
  });

  handle.on('message.delete', async (socket, { roomId, id }) => {
    await rooms.ensureSocketAccess(socket, roomId);
    const deleted = await messages.delete(sessionUserOf(socket), roomId, id);
    const { message, changed: didChange } = deleted;
    if (didChange) changed(message);
    return { message };
  });
}

/** An edited or deleted message, for its room's audience on every instance. */
export function broadcastChange(fanOut: FanOut, message: ChatMessage): void {
  // The message may still wait in a batch or relay window: it goes first, so that no socket
  // gets an update for a message it has not been given yet.
  fanOut.flushMessages();
  fanOut.toRoom(message.roomId, 'message.updated', message);
}
