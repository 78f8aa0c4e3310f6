/**
 * Socket.IO: the handshake authenticates the socket with its HTTP session, and each connection
 * gets its handlers synchronously, before anything is awaited, so an event sent right after
 * connecting is never lost. Handlers never throw into Socket.IO: every outcome goes to the ack.
 */
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import type {
  Ack,
  AckResponse,
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from '../../protocol/events.js';
import { GENERAL_ROOM_ID } from '../../protocol/models.js';
import {
  describeValidationError,
  roomIdSchema,
  sendMessagePayloadSchema,
} from '../../protocol/schemas.js';
import type { ChatService } from '../domain/chat-service.js';
import { AppError, badRequest } from '../domain/errors.js';
import type { Delivery } from './delivery.js';
import type { PresenceTracker } from './presence-tracker.js';
import { roomChannel, userChannel } from './rooms.js';

export type ChatSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

export interface SocketHandlerDeps {
  chat: ChatService;
  delivery: Delivery;
  presence: PresenceTracker;
  logger: Logger;
  /** Tells whether a failure came from Redis being unreachable. */
  redisIsDown: () => boolean;
}

export function handleConnection(socket: ChatSocket, deps: SocketHandlerDeps): void {
  const { chat, delivery, presence, logger } = deps;
  const user = { id: socket.data.userId, username: socket.data.username };

  // Synchronous joins: General and the user's own channel are live before any await.
  void socket.join([roomChannel(GENERAL_ROOM_ID), userChannel(user.id)]);

  /** Runs a handler, answering its ack with the result or with the refusal. */
  const answer = <T extends object>(
    event: string,
    ack: Ack<T> | undefined,
    work: () => Promise<T>,
  ): void => {
    work().then(
      (result) => ack?.({ ok: true, ...result } as AckResponse<T>),
      (error: unknown) => ack?.({ ok: false, error: describeFailure(error, event) }),
    );
  };

  const describeFailure = (error: unknown, event: string) => {
    if (error instanceof AppError) return { code: error.code, message: error.message };
    if (deps.redisIsDown()) {
      return {
        code: 'unavailable' as const,
        message: 'the chat database is unreachable; try again',
      };
    }
    logger.error({ err: error, event, userId: user.id }, 'socket handler failed');
    return { code: 'internal' as const, message: 'internal error' };
  };

  /** The room check costs Redis once per socket and room; joining caches the answer. */
  const ensureRoomAccess = async (roomId: string) => {
    if (socket.rooms.has(roomChannel(roomId))) return;
    await chat.assertCanUseRoom(user, roomId);
    await socket.join(roomChannel(roomId));
  };

  socket.on('room.join', (roomId, ack) => {
    answer('room.join', typeof ack === 'function' ? ack : undefined, async () => {
      const parsed = roomIdSchema.safeParse(roomId);
      if (!parsed.success) throw badRequest(describeValidationError(parsed.error));
      await ensureRoomAccess(parsed.data);
      return {};
    });
  });

  socket.on('message', (payload, ack) => {
    answer('message', typeof ack === 'function' ? ack : undefined, async () => {
      const parsed = sendMessagePayloadSchema.safeParse(payload);
      if (!parsed.success) throw badRequest(describeValidationError(parsed.error));
      const { roomId, message: text } = parsed.data;
      await ensureRoomAccess(roomId);
      const posted = await chat.postMessage(user, roomId, text);
      delivery.posted(posted);
      return { message: posted.message };
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
