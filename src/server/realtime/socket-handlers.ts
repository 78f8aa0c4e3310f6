/**
 * Socket.IO: the handshake authenticates the socket with its HTTP session, and each connection
 * gets its handlers synchronously, before anything is awaited, so an event sent right after
 * connecting is never lost. Handlers never throw into Socket.IO: every outcome goes to the ack.
 */
import type { Logger } from 'pino';
import type { z } from 'zod';
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
import { TYPING_THROTTLE_MS } from '../../protocol/limits.js';
import {
  deleteMessagePayloadSchema,
  describeValidationError,
  editMessagePayloadSchema,
  typingPayloadSchema,
  roomIdSchema,
  sendMessagePayloadSchema,
} from '../../protocol/schemas.js';
import type { ChatService } from '../domain/chat-service.js';
import { AppError, badRequest, rateLimited } from '../domain/errors.js';
import type { Delivery } from './delivery.js';
import type { RoomNotifier } from './room-notifier.js';
import type { PresenceTracker } from './presence-tracker.js';
import type { PendingEvents } from './shutdown.js';
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
  notifier: RoomNotifier;
  presence: PresenceTracker;
  logger: Logger;
  /** Tells whether a failure came from Redis being unreachable. */
  redisIsDown: () => boolean;
  /** Handlers at work, awaited at shutdown so that every ack is sent. */
  pending?: PendingEvents;
}

/** node-redis errors that mean "Redis is away right now", whatever isReady says by then. */
const REDIS_UNAVAILABLE_ERRORS = new Set([
  'ClientOfflineError',
  'ClientClosedError',
  'SocketClosedUnexpectedlyError',
  'ConnectionTimeoutError',
  'ReconnectStrategyError',
]);

const isRedisUnavailable = (error: unknown) =>
  error instanceof Error && REDIS_UNAVAILABLE_ERRORS.has(error.constructor.name);

export function handleConnection(socket: ChatSocket, deps: SocketHandlerDeps): void {
  const { chat, delivery, notifier, presence, logger } = deps;
  const user = { id: socket.data.userId, username: socket.data.username };

  // Synchronous joins: General and the user's own channel are live before any await.
  void socket.join([roomChannel(GENERAL_ROOM_ID), userChannel(user.id)]);

  /** Runs a handler, answering its ack with the result or with the refusal. */
  const answer = <T extends object>(
    event: string,
    ack: Ack<T> | undefined,
    work: () => Promise<T>,
  ): void => {
    if (deps.pending?.refusing) {
      ack?.({
        ok: false,
        error: { code: 'unavailable', message: 'the server is restarting; send again' },
      });
      return;
    }
    const done = work().then(
      (result) => ack?.({ ok: true, ...result } as AckResponse<T>),
      (error: unknown) => ack?.({ ok: false, error: describeFailure(error, event) }),
    );
    deps.pending?.track(done);
  };

  const describeFailure = (error: unknown, event: string) => {
    if (error instanceof AppError) return { code: error.code, message: error.message };
    if (deps.redisIsDown() || isRedisUnavailable(error)) {
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
      await ensureRoomAccess(parsePayload(roomIdSchema, roomId));
      return {};
    });
  });

  socket.on('message', (payload, ack) => {
    answer('message', typeof ack === 'function' ? ack : undefined, async () => {
      const { roomId, message: text } = parsePayload(sendMessagePayloadSchema, payload);
      await ensureRoomAccess(roomId);
      const posted = await chat.postMessage(user, roomId, text);
      delivery.posted(posted);
      return { message: posted.message };
    });
  });

  socket.on('message.edit', (payload, ack) => {
    answer('message.edit', typeof ack === 'function' ? ack : undefined, async () => {
      const { roomId, id, message: text } = parsePayload(editMessagePayloadSchema, payload);
      await ensureRoomAccess(roomId);
      const message = await chat.editMessage(user, roomId, id, text);
      notifier.messageUpdated(message);
      return { message };
    });
  });

  socket.on('message.delete', (payload, ack) => {
    answer('message.delete', typeof ack === 'function' ? ack : undefined, async () => {
      const { roomId, id } = parsePayload(deleteMessagePayloadSchema, payload);
      await ensureRoomAccess(roomId);
      const message = await chat.deleteMessage(user, roomId, id);
      notifier.messageUpdated(message);
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
    answer('typing', typeof ack === 'function' ? ack : undefined, async () => {
      const { roomId, typing } = parsePayload(typingPayloadSchema, payload);
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
      notifier.typing(socket, { roomId, userId: user.id, username: user.username, typing });
      return {};
    });
  });

  socket.on('disconnect', () => presence.disconnected(socket));
  presence.connected(socket);
  void loadRoomChannels(socket, chat, logger, user);
}

/** Validates an event's payload; a failure is a bad_request naming every broken rule. */
function parsePayload<S extends z.ZodType>(schema: S, payload: unknown): z.output<S> {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw badRequest(describeValidationError(parsed.error));
  return parsed.data;
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
