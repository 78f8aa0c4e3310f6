import type { FastifyInstance } from 'fastify';
import { serveRoute } from '../../kernel/http/routes.js';
import { requireUser } from '../../kernel/sessions/http-session.js';
import type { RoomLiveUpdates } from './socket-handlers.js';
import type { RoomRules } from './rules.js';

export function roomRoutes(app: FastifyInstance, rooms: RoomRules, live: RoomLiveUpdates) {
  /** The caller's rooms. Only your own: another user's list is 403. */
  serveRoute(app, 'roomsOf', async (request, reply) => {
    const user = requireUser(request);
    const list = await rooms.roomsOf(user, request.params.userId);
    // roomsOf builds every entry field by field from typed reads (decoded messages included), so
    // checking the list against its schema again before stringifying it cost more than the
    // stringifying: 2.5 of 4 ms for a user in 1,000 rooms (docs/performance.md, Fourth round).
    // contract-http.test.ts checks that the answer is exactly what the schema describes.
    return reply.type('application/json; charset=utf-8').serializer(JSON.stringify).send(list);
  });

  /** Opens the private room between the caller and another user (idempotent). */
  serveRoute(app, 'openPrivateRoom', async (request, reply) => {
    const user = requireUser(request);
    const { user1, user2 } = request.body;
    const room = await rooms.openPrivateRoom(user, user1, user2);
    live.follow(room.id);
    return reply.status(201).send(room);
  });

  /** Creates a group room (public by default) with the caller as its first member. */
  serveRoute(app, 'createRoom', async (request, reply) => {
    const user = requireUser(request);
    const { name, visibility } = request.body;
    const room = await rooms.create(user, name, visibility);
    live.roomAdded(user.id, room);
    return reply.status(201).send(room);
  });

  /** The directory: a page of public rooms with a word starting with `search`. */
  serveRoute(app, 'directory', async (request) => {
    const user = requireUser(request);
    return rooms.directory(user, request.query);
  });

  serveRoute(app, 'joinRoom', async (request) => {
    const user = requireUser(request);
    const { id: roomId } = request.params;
    const { room, added } = await rooms.join(user, roomId);
    live.roomAdded(user.id, room);
    if (added) live.membership({ roomId, user, joined: true });
    return room;
  });

  serveRoute(app, 'leaveRoom', async (request, reply) => {
    const user = requireUser(request);
    const { id: roomId } = request.params;
    await rooms.leave(user, roomId);
    live.roomRemoved(user.id, roomId);
    live.membership({ roomId, user, joined: false });
    return reply.status(204).send();
  });

  /** A member adds another user to a group room (the way into a private one). */
  serveRoute(app, 'invite', async (request) => {
    const user = requireUser(request);
    const { id: roomId } = request.params;
    const { room, invitee, added } = await rooms.invite(user, roomId, request.body.userId);
    live.roomAdded(invitee.id, room);
    if (added) live.membership({ roomId, user: invitee, joined: true });
    return room;
  });

  /** Members of a room the caller may use, with presence (for the member list and @-suggestions). */
  serveRoute(app, 'members', async (request) => {
    const user = requireUser(request);
    return rooms.members(user, request.params.id);
  });
}
