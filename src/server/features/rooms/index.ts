/**
 * Rooms: General, private rooms and group rooms (directory, membership, invitations), who may
 * use which room, and the user's room list.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { RoomSummary, SessionUser } from '../../../protocol/models.js';
import type { ChatEvents, DomainEvents } from '../../kernel/domain-events.js';
import type { HandleClientEvent } from '../../kernel/realtime/acks.js';
import type { FanOut } from '../../kernel/realtime/fan-out.js';
import type { ChatSocket } from '../../kernel/realtime/socket-types.js';
import type { RedisClient } from '../../kernel/redis/client.js';
import { roomRoutes } from './http-routes.js';
import type { OnlineStatus, RoomActivity, Users } from './ports.js';
import { RedisRoomStore } from './redis-store.js';
import { RoomRules } from './rules.js';
import { RoomLiveUpdates, ensureRoomAccess, roomsOnConnection } from './socket-handlers.js';

export type { RoomActivity, UnreadState } from './ports.js';

export interface RoomsFeature {
  /** Refuses unless the room exists and the user may read and post in it. */
  assertCanUseRoom(user: SessionUser, roomId: string): Promise<void>;
  /** The same check for a socket, cached for the socket's life once it passed. */
  ensureSocketAccess(socket: ChatSocket, roomId: string): Promise<void>;
  isGroupMember(roomId: string, userId: string): Promise<boolean>;
  /** Ids of the rooms listed for the user, General included. */
  roomIdsOf(user: SessionUser): Promise<string[]>;
  roomName(roomId: string): Promise<string | null>;
  /** A private room's first message: both members list it; null for other rooms. */
  privateRoomStarted(roomId: string): Promise<RoomSummary | null>;
  /** Shows a room that just started to its members (show.room) on every instance. */
  show(room: RoomSummary): void;
  onConnection(socket: ChatSocket): void;
  routes(app: FastifyInstance): void;
}

export interface RoomsDeps {
  redis: RedisClient;
  fanOut: FanOut;
  events: DomainEvents<ChatEvents>;
  users: Users;
  online: OnlineStatus;
  /** Newest messages and unread counts, from the messages and reads features. */
  activity: RoomActivity;
  handle: HandleClientEvent;
  log: Logger;
}

export function createRooms(deps: RoomsDeps): RoomsFeature {
  const store = new RedisRoomStore(deps.redis);
  const rules = new RoomRules({
    rooms: store,
    groups: store,
    users: deps.users,
    online: deps.online,
    activity: deps.activity,
    events: deps.events,
  });
  const live = new RoomLiveUpdates(deps.fanOut, deps.events, deps.log);
  return {
    assertCanUseRoom: (user, roomId) => rules.assertCanUseRoom(user, roomId),
    ensureSocketAccess: (socket, roomId) => ensureRoomAccess(rules, socket, roomId),
    isGroupMember: (roomId, userId) => rules.isGroupMember(roomId, userId),
    roomIdsOf: (user) => rules.roomIdsOf(user),
    roomName: (roomId) => rules.roomName(roomId),
    privateRoomStarted: (roomId) => rules.privateRoomStarted(roomId),
    show: (room) => live.show(room),
    onConnection: (socket) => roomsOnConnection(rules, deps.handle, deps.log, socket),
    routes: (app) => roomRoutes(app, rules, live),
  };
}
