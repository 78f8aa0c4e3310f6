import type { FastifyInstance } from 'fastify';
import {
  createPrivateRoomBodySchema,
  messagesQuerySchema,
  roomIdSchema,
} from '../../../protocol/schemas.js';
import type { ChatService } from '../../domain/chat-service.js';
import type { FanOut } from '../../kernel/realtime/fan-out.js';
import { requireUser } from '../../kernel/sessions/http-session.js';
import { parseInput } from '../../kernel/validation.js';

export function roomRoutes(app: FastifyInstance, chat: ChatService, fanOut: FanOut) {
  /** The caller's rooms. Only your own: another user's list is 403. */
  app.get<{ Params: { userId: string } }>('/rooms/:userId', async (request) => {
    const user = requireUser(request);
    return chat.roomsOf(user, request.params.userId);
  });

  /** Opens the private room between the caller and another user (idempotent). */
  app.post('/room', async (request, reply) => {
    const user = requireUser(request);
    const { user1, user2 } = parseInput(createPrivateRoomBodySchema, request.body);
    const room = await chat.openPrivateRoom(user, user1, user2);
    fanOut.follow(room.id);
    return reply.status(201).send(room);
  });

  /** General with its newest messages, for the first screen. */
  app.get('/room/0/preload', async (request) => chat.preloadGeneral(requireUser(request)));

  /**
   * Messages of a room: `?offset&size` pages from the newest, newest first (the seed's API);
   * `?after=<message id>&size` gives what followed that message, oldest first (catching up).
   */
  app.get<{ Params: { id: string } }>('/room/:id/messages', async (request) => {
    const user = requireUser(request);
    const roomId = parseInput(roomIdSchema, request.params.id);
    const { offset, size, after } = parseInput(messagesQuerySchema, request.query);
    return after === undefined
      ? chat.readPage(user, roomId, offset, size)
      : chat.readAfter(user, roomId, after, size);
  });
}
