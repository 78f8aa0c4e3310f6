/**
 * Socket.IO: the handshake authenticates the socket with its HTTP session, and each connection
 * gets its handlers synchronously, before anything is awaited, so an event sent right after
 * connecting is never lost. Handlers never throw into Socket.IO: every outcome goes to the ack.
 */
import type { Logger } from 'pino';
import { GENERAL_ROOM_ID } from '../../protocol/models.js';
import { TYPING_THROTTLE_MS } from '../../protocol/limits.js';
import {
  deleteMessagePayloadSchema,
  editMessagePayloadSchema,
  typingPayloadSchema,
  roomIdSchema,
  sendMessagePayloadSchema,
} from '../../protocol/schemas.js';
import type { ChatService } from '../domain/chat-service.js';
import type { ChatEvents, DomainEvents } from '../kernel/domain-events.js';
import { rateLimited } from '../kernel/errors.js';
import type { Answer } from '../kernel/realtime/acks.js';
import { roomChannel, userChannel } from '../kernel/realtime/channels.js';
import type { FanOut } from '../kernel/realtime/fan-out.js';
import type { ChatSocket } from '../kernel/realtime/socket-types.js';
import { parseInput } from '../kernel/validation.js';
import type { PresenceTracker } from './presence-tracker.js';

export interface SocketHandlerDeps {
  chat: ChatService;
  fanOut: FanOut;
  events: DomainEvents<ChatEvents>;
  presence: PresenceTracker;
  logger: Logger;
  answer: Answer;
}

export function handleConnection(socket: ChatSocket, deps: SocketHandlerDeps): void {
  const { chat, fanOut, presence, logger, answer } = deps;
  const user = { id: socket.data.userId, username: socket.data.username };
  const context = { userId: user.id };

  // Synchronous joins: General and the user's own channel are live before any await.
  void socket.join([roomChannel(GENERAL_ROOM_ID), userChannel(user.id)]);

  /** The room check costs Redis once per socket and room; joining caches the answer. */
  const ensureRoomAccess = async (roomId: string) => {
    if (socket.rooms.has(roomChannel(roomId))) return;
    await chat.assertCanUseRoom(user, roomId);
    await socket.join(roomChannel(roomId));
  };

  socket.on('room.join', (roomId, ack) => {
    answer('room.join', ack, context, async () => {
      await ensureRoomAccess(parseInput(roomIdSchema, roomId));
      return {};
    });
  });

  socket.on('message', (payload, ack) => {
    answer('message', ack, context, async () => {
      const { roomId, message: text } = parseInput(sendMessagePayloadSchema, payload);
      await ensureRoomAccess(roomId);
      const { message, newPrivateRoom } = await chat.postMessage(user, roomId, text);
      if (newPrivateRoom) {
        fanOut.toRoom(roomId, 'show.room', newPrivateRoom);
        fanOut.follow(roomId);
        deps.events
          .emit('room.shown', newPrivateRoom)
          .catch((error: unknown) => logger.warn({ err: error }, 'a room.shown listener failed'));
        // Through the adapter as show.room went, so every socket gets the room before its message.
        fanOut.toRoom(roomId, 'message', message);
      } else {
        fanOut.message(message);
      }
      return { message };
    });
  });

  const changed = (message: Awaited<ReturnType<ChatService['editMessage']>>) => {
    // The message may still wait in a batch or relay window: it goes first, so that no socket
    // gets an update for a message it has not been given yet.
    fanOut.flushMessages();
    fanOut.toRoom(message.roomId, 'message.updated', message);
  };

  socket.on('message.edit', (payload, ack) => {
    answer('message.edit', ack, context, async () => {
      const { roomId, id, message: text } = parseInput(editMessagePayloadSchema, payload);
      await ensureRoomAccess(roomId);
      const message = await chat.editMessage(user, roomId, id, text);
      changed(message);
      return { message };
    });
  });

  socket.on('message.delete', (payload, ack) => {
    answer('message.delete', ack, context, async () => {
      const { roomId, id } = parseInput(deleteMessagePayloadSchema, payload);
      await ensureRoomAccess(roomId);
      const message = await chat.deleteMessage(user, roomId, id);
      changed(message);
      return { message };
    });
  });

  /**
   * When this socket last announced typing, per room: one start every 2 s at most, stops
   * included (a stop does not reopen the window), so start/stop pairs cannot flood a room.
   */
  const lastTypingStart = new Map<string, number>();
  /** Rooms where this socket's last notice was a start: only those can be stopped. */
  const typingIn = new Set<string>();
  socket.on('typing', (payload, ack) => {
    answer('typing', ack, context, async () => {
      const { roomId, typing } = parseInput(typingPayloadSchema, payload);
      await ensureRoomAccess(roomId);
      const now = Date.now();
      if (typing) {
        const last = lastTypingStart.get(roomId) ?? 0;
        if (now - last < TYPING_THROTTLE_MS) {
          throw rateLimited('typing notices are limited to one every 2 s', 2);
        }
        lastTypingStart.set(roomId, now);
        typingIn.add(roomId);
      } else if (!typingIn.delete(roomId)) {
        return {}; // nothing to stop: the others were not told of a start
      }
      const notice = { roomId, userId: user.id, username: user.username, typing };
      fanOut.fromSocketToRoom(socket, roomId, 'typing', notice);
      return {};
    });
  });

  socket.on('disconnect', () => presence.disconnected(socket));
  presence.connected(socket);
  void loadRoomChannels(socket, chat, logger, user);
}

/** Follows the user's other rooms (named rooms, private rooms) once their ids are known. */
async function loadRoomChannels(
  socket: ChatSocket,
  chat: ChatService,
  logger: Logger,
  user: { id: string; username: string },
) {
  try {
    const roomIds = await chat.roomIdsOf(user);
    if (socket.connected) await socket.join(roomIds.map(roomChannel));
  } catch (error) {
    // Not fatal: each room is checked again on first use.
    logger.warn({ err: error, userId: user.id }, 'could not load the rooms of a new connection');
  }
}
