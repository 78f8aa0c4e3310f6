/**
 * Live updates for group rooms, read markers, edits and typing. Like Delivery, every emit goes
 * through the Socket.IO Redis adapter, so it reaches the right sockets on every instance. These
 * events are this project's own: they are not bridged to the seed's servers, whose clients would
 * not know them.
 */
import type {
  ChatMessage,
  ReadMarker,
  RoomMembershipChange,
  RoomSummary,
  TypingNotice,
} from '../../protocol/models.js';
import { type ChatServer, audienceOf } from './delivery.js';
import type { MessageBatcher } from './message-batching.js';
import { roomChannel, userChannel } from './rooms.js';
import type { ChatSocket } from './socket-handlers.js';

export class RoomNotifier {
  constructor(
    private readonly io: ChatServer,
    /** Messages waiting in a batch or relay window (see message-batching.ts). */
    private readonly batches: MessageBatcher | null = null,
  ) {}

  /** A user is now in a room: their sockets follow it and every tab lists it. */
  roomAdded(userId: string, room: RoomSummary): void {
    this.io.in(userChannel(userId)).socketsJoin(roomChannel(room.id));
    this.io.to(userChannel(userId)).emit('show.room', room);
  }

  /** A user left a room: their sockets stop following it and every tab drops it. */
  roomRemoved(userId: string, roomId: string): void {
    this.io.in(userChannel(userId)).socketsLeave(roomChannel(roomId));
    this.io.to(userChannel(userId)).emit('hide.room', { id: roomId });
  }

  membership(change: RoomMembershipChange): void {
    this.io.to(roomChannel(change.roomId)).emit('room.member', change);
  }

  /** Every tab and device of the user clears the room's unread count. */
  read(userId: string, marker: ReadMarker): void {
    this.io.to(userChannel(userId)).emit('room.read', marker);
  }

  messageUpdated(message: ChatMessage): void {
    // The message may still wait in a batch or relay window: it goes first, so that no socket
    // gets an update for a message it has not been given yet. On the other instances the relay
    // arrives first too, as it is published first on the same connection. Edits are rare; the
    // early flush costs nothing measurable.
    this.batches?.flushNow();
    this.io.to(audienceOf(message.roomId)).emit('message.updated', message);
  }

  /** To everyone in the room but the typing socket itself. */
  typing(from: ChatSocket, notice: TypingNotice): void {
    from.to(audienceOf(notice.roomId)).emit('typing', notice);
  }
}
