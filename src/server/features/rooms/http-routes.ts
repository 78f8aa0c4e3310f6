import type { FastifyInstance } from 'fastify';
import {
  createGroupRoomBodySchema,
  createPrivateRoomBodySchema,
  directoryQuerySchema,
  inviteBodySchema,
  roomIdSchema,
} from '../../../protocol/schemas.js';
import { requireUser } from '../../kernel/sessions/http-session.js';
import { parseInput } from '../../kernel/validation.js';
import type { RoomLiveUpdates } from './socket-handlers.js';
import type { RoomRules } from './rules.js';

type RoomParams = { Params: { id: string } };

export function roomRoutes(app: FastifyInstance, rooms: RoomRules, live: RoomLiveUpdates) {
  /** The caller's rooms. Only your own: another user's list is 403. */
  app.get<{ Params: { userId: string } }>('/rooms/:userId', async (request) => {
    const user = requireUser(request);
    return rooms.roomsOf(user, request.params.userId);
  });

  /** Opens the private room between the caller and another user (idempotent). */
  app.post('/room', async (request, reply) => {
    const user = requireUser(request);
    const { user1, user2 } = parseInput(createPrivateRoomBodySchema, request.body);
    const room = await rooms.openPrivateRoom(user, user1, user2);
    live.follow(room.id);
    return reply.status(201).send(room);
  });

  /** Creates a group room (public by default) with the caller as its first member. */
  app.post('/rooms', async (request, reply) => {
    const user = requireUser(request);
    const { name, visibility } = parseInput(createGroupRoomBodySchema, request.body);
    const room = await rooms.create(user, name, visibility);
    live.roomAdded(user.id, room);
    return reply.status(201).send(room);
  });

  /** The directory: public rooms whose name contains `search` (ignoring case). */
  app.get('/rooms', async (request) => {
    const user = requireUser(request);
    const { search } = parseInput(directoryQuerySchema, request.query);
    return rooms.directory(user, search);
  });

  app.post<RoomParams>('/room/:id/join', async (request) => {
    const user = requireUser(request);
    const roomId = parseInput(roomIdSchema, request.params.id);
    const { room, added } = await rooms.join(user, roomId);
    live.roomAdded(user.id, room);
    if (added) live.membership({ roomId, user, joined: true });
    return room;
  });

  app.post<RoomParams>('/room/:id/leave', async (request, reply) => {
    const user = requireUser(request);
    const roomId = parseInput(roomIdSchema, request.params.id);
    await rooms.leave(user, roomId);
    live.roomRemoved(user.id, roomId);
    live.membership({ roomId, user, joined: false });
    return reply.status(204).send();
  });

  /** A member adds another user to a group room (the way into a private one). */
  app.post<RoomParams>('/room/:id/invite', async (request) => {
    const user = requireUser(request);
    const roomId = parseInput(roomIdSchema, request.params.id);
    const { userId } = parseInput(inviteBodySchema, request.body);
    const { room, invitee, added } = await rooms.invite(user, roomId, userId);
    live.roomAdded(invitee.id, room);
    if (added) live.membership({ roomId, user: invitee, joined: true });
    return room;
  });

  /** Members of a room the caller may use, with presence (for the member list and @-suggestions). */
  app.get<RoomParams>('/room/:id/members', async (request) => {
    const user = requireUser(request);
    const roomId = parseInput(roomIdSchema, request.params.id);
    return rooms.members(user, roomId);
  });
}
