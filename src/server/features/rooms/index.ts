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
import { INVITES_PREFIX, ROOM_CREATIONS_PREFIX } from '../../kernel/redis/keys.js';
import { userLimiter } from '../../kernel/redis/rate-limiter.js';
import { roomRoutes } from './http-routes.js';
import type { OnlineStatus, RoomActivity, RoomContent, Users } from './ports.js';
import { RedisInviteCooldowns, RedisRoomStore } from './redis-store.js';
import { RoomRules } from './rules.js';
import {
  RoomLiveUpdates,
  ensureRoomAccess,
  listenToRoomJoins,
  roomsOnConnection,
} from './socket-handlers.js';

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
  /**
   * Deletes a group room and everything that belongs to it; its members' open clients, on every
   * instance, drop it (hide.room). Refuses General and private conversations; an unknown room
   * is not_found. Answers the room and how many members and messages it had.
   */
  deleteRoom(roomId: string): Promise<{ name: string; members: number; messages: number }>;
  /** Builds the directory's index from the rooms made before it (once per database). */
  prepare(): Promise<void>;
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
  /** The room's messages and what refers to them (messages feature), removed with the room. */
  content: RoomContent;
  handle: HandleClientEvent;
  log: Logger;
  /** Group rooms one user may create per hour; 0: no limit. */
  roomsPerHour: number;
  /** Invitations one user may send per minute; 0: no limit. */
  invitesPerMinute: number;
  /** Seconds after leaving a room during which nobody may invite the user back; 0: none. */
  inviteCooldownS: number;
}

export function createRooms(deps: RoomsDeps): RoomsFeature {
  const store = new RedisRoomStore(deps.redis);
  const rules = new RoomRules({
    rooms: store,
    groups: store,
    directory: store,
    users: deps.users,
    online: deps.online,
    activity: deps.activity,
    events: deps.events,
    limits: {
      creations: userLimiter(deps.redis, {
        keyPrefix: ROOM_CREATIONS_PREFIX,
        points: deps.roomsPerHour,
        durationS: 3600,
      }),
      invites: userLimiter(deps.redis, {
        keyPrefix: INVITES_PREFIX,
        points: deps.invitesPerMinute,
        durationS: 60,
      }),
    },
    cooldowns: new RedisInviteCooldowns(deps.redis, deps.inviteCooldownS),
    content: deps.content,
  });
  const live = new RoomLiveUpdates(deps.fanOut, deps.events, deps.log);
  listenToRoomJoins(rules, deps.fanOut, deps.handle);
  return {
    assertCanUseRoom: (user, roomId) => rules.assertCanUseRoom(user, roomId),
    ensureSocketAccess: (socket, roomId) => ensureRoomAccess(rules, deps.fanOut, socket, roomId),
    isGroupMember: (roomId, userId) => rules.isGroupMember(roomId, userId),
    roomIdsOf: (user) => rules.roomIdsOf(user),
    roomName: (roomId) => rules.roomName(roomId),
    privateRoomStarted: (roomId) => rules.privateRoomStarted(roomId),
    show: (room) => live.show(room),
    deleteRoom: async (roomId) => {
      const deleted = await rules.deleteRoom(roomId, (memberIds) => {
        for (const userId of memberIds) live.roomRemoved(userId, roomId);
      });
      return {
        name: deleted.name,
        members: deleted.memberIds.length,
        messages: deleted.messages,
      };
    },
    prepare: () => rules.prepareDirectory(),
    onConnection: (socket) => roomsOnConnection(rules, deps.log, socket),
    routes: (app) => roomRoutes(app, rules, live),
  };
}
