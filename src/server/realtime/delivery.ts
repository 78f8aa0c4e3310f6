/**
 * Who receives which event. Private rooms go to the Socket.IO rooms of their two members only,
 * General to every signed-in socket, presence to everyone. With the Redis adapter these emits
 * reach sockets on every instance of this project; the same events also go out as seed envelopes
 * for the seed's servers when the bridge is on.
 */
import type { Server } from 'socket.io';
import type {
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from '../../protocol/events.js';
import type { ChatMessage, RoomSummary, UserPresence } from '../../protocol/models.js';
import type { PostedMessage } from '../domain/chat-service.js';
import { privateRoomMembers } from '../domain/rooms.js';
import type { MessageBatcher } from './message-batching.js';
import { roomChannel, userChannel } from './rooms.js';

export type ChatServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

/** Publishes one seed envelope (no-op when the bridge is off). */
export type SeedPublisher = (type: string, data: unknown) => void;

/** The Socket.IO rooms that may see a chat room's events. */
export function audienceOf(roomId: string): string[] {
  const members = privateRoomMembers(roomId);
  return members ? [userChannel(members.low), userChannel(members.high)] : [roomChannel(roomId)];
}

export class Delivery {
  constructor(
    private readonly io: ChatServer,
    private readonly publishSeed: SeedPublisher,
    /** Room messages for sockets that opted in to batches (see message-batching.ts). */
    private readonly batches: MessageBatcher | null = null,
  ) {}

  /** A message that was stored here; its seed envelope went out with the store command. */
  posted({ message, newPrivateRoom }: PostedMessage): void {
    if (newPrivateRoom) {
      this.showRoom(newPrivateRoom);
      // Through the adapter as show.room went, so every socket gets the room before its message.
      this.io.to(audienceOf(message.roomId)).emit('message', message);
      return;
    }
    this.message(message);
  }

  showRoom(room: RoomSummary, local = false): void {
    const target = local ? this.io.local : this.io;
    target.to(audienceOf(room.id)).emit('show.room', room);
    this.follow(room.id, local);
    if (!local) this.publishSeed('show.room', room);
  }

  /** The members' sockets follow a private room, so their sends need no access check in Redis. */
  follow(roomId: string, local = false): void {
    (local ? this.io.local : this.io).in(audienceOf(roomId)).socketsJoin(roomChannel(roomId));
  }

  message(message: ChatMessage, local = false): void {
    if (this.batches?.deliver(message, local)) return;
    const target = local ? this.io.local : this.io;
    target.to(audienceOf(message.roomId)).emit('message', message);
  }

  presence(user: UserPresence, local = false): void {
    const event = user.online ? 'user.connected' : 'user.disconnected';
    const target = local ? this.io.local : this.io;
    target.emit(event, user);
    if (!local) this.publishSeed(event, user);
  }
}
