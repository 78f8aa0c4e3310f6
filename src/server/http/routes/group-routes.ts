import type { FastifyInstance } from 'fastify';
import type { RoomSummary } from '../../../protocol/models.js';
import {
  createGroupRoomBodySchema,
  directoryQuerySchema,
  inviteBodySchema,
  readMarkerBodySchema,
  roomIdSchema,
} from '../../../protocol/schemas.js';
import type { ChatService } from '../../domain/chat-service.js';
import type { GroupService } from '../../domain/group-service.js';
import type { FanOut } from '../../kernel/realtime/fan-out.js';
import { requireUser } from '../../kernel/sessions/http-session.js';
import { parseInput } from '../../kernel/validation.js';

type RoomParams = { Params: { id: string } };

/** A user is now in a room: their sockets follow it and every tab lists it. */
function roomAdded(fanOut: FanOut, userId: string, room: RoomSummary) {
  fanOut.userFollows(userId, room.id);
  fanOut.toUser(userId, 'show.room', room);
}

export function groupRoutes(
  app: FastifyInstance,
  groups: GroupService,
  chat: ChatService,
  fanOut: FanOut,
) {
  /** Creates a group room (public by default) with the caller as its first member. */
  app.post('/rooms', async (request, reply) => {
    const user = requireUser(request);
    const { name, visibility } = parseInput(createGroupRoomBodySchema, request.body);
    const room = await groups.create(user, name, visibility);
    roomAdded(fanOut, user.id, room);
    return reply.status(201).send(room);
  });

  /** The directory: public rooms whose name contains `search` (ignoring case). */
  app.get('/rooms', async (request) => {
    const user = requireUser(request);
    const { search } = parseInput(directoryQuerySchema, request.query);
    return groups.directory(user, search);
  });

  app.post<RoomParams>('/room/:id/join', async (request) => {
    const user = requireUser(request);
    const roomId = parseInput(roomIdSchema, request.params.id);
    const { room, added } = await groups.join(user, roomId);
    roomAdded(fanOut, user.id, room);
    if (added) fanOut.toRoom(roomId, 'room.member', { roomId, user, joined: true });
    return room;
  });

  app.post<RoomParams>('/room/:id/leave', async (request, reply) => {
    const user = requireUser(request);
    const roomId = parseInput(roomIdSchema, request.params.id);
    await groups.leave(user, roomId);
    fanOut.userUnfollows(user.id, roomId);
    fanOut.toUser(user.id, 'hide.room', { id: roomId });
    fanOut.toRoom(roomId, 'room.member', { roomId, user, joined: false });
    return reply.status(204).send();
  });

  /** A member adds another user to a group room (the way into a private one). */
  app.post<RoomParams>('/room/:id/invite', async (request) => {
    const user = requireUser(request);
    const roomId = parseInput(roomIdSchema, request.params.id);
    const { userId } = parseInput(inviteBodySchema, request.body);
    const { room, invitee, added } = await groups.invite(user, roomId, userId);
    roomAdded(fanOut, invitee.id, room);
    if (added) fanOut.toRoom(roomId, 'room.member', { roomId, user: invitee, joined: true });
    return room;
  });

  /** Members of a room the caller may use, with presence (for the member list and @-suggestions). */
  app.get<RoomParams>('/room/:id/members', async (request) => {
    const user = requireUser(request);
    const roomId = parseInput(roomIdSchema, request.params.id);
    await chat.assertCanUseRoom(user, roomId);
    return groups.members(roomId);
  });

  /** Moves the caller's read marker; every tab and device of theirs is told. */
  app.post<RoomParams>('/room/:id/read', async (request) => {
    const user = requireUser(request);
    const roomId = parseInput(roomIdSchema, request.params.id);
    const { messageId } = parseInput(readMarkerBodySchema, request.body);
    const marker = await chat.markRead(user, roomId, messageId);
    fanOut.toUser(user.id, 'room.read', marker);
    return marker;
  });
}
