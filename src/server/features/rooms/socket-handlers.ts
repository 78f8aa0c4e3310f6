/**
 * Rooms on the Socket.IO side: a socket follows the rooms its user may use (checked once per
 * user and room on each instance, then cached by the join), and every tab hears of rooms added
 * and removed.
 */
import type { Logger } from 'pino';
import type { RoomMembershipChange, RoomSummary, SessionUser } from '../../../protocol/models.js';
import type { ChatEvents, DomainEvents } from '../../kernel/domain-events.js';
import type { HandleClientEvent } from '../../kernel/realtime/acks.js';
import { roomChannel } from '../../kernel/realtime/channels.js';
import type { FanOut } from '../../kernel/realtime/fan-out.js';
import { type ChatSocket, sessionUserOf } from '../../kernel/realtime/socket-types.js';
import type { RoomRules } from './rules.js';

/** Live updates of rooms, through the one fan-out. */
export class RoomLiveUpdates {
  constructor(
    private readonly fanOut: FanOut,
    private readonly events: DomainEvents<ChatEvents>,
    private readonly log: Logger,
  ) {}

  /** The members' sockets follow a private room, so their sends need no access check in Redis. */
  follow(roomId: string): void {
    this.fanOut.follow(roomId);
  }

  /** A private room's first message: both members are shown the room, and follow it. */
  show(room: RoomSummary): void {
    this.fanOut.toRoom(room.id, 'show.room', room);
    this.fanOut.follow(room.id);
    this.events
      .emit('room.shown', room)
      .catch((error: unknown) => this.log.warn({ err: error }, 'a room.shown listener failed'));
  }

  /** A user is now in a room: their sockets follow it and every tab lists it. */
  roomAdded(userId: string, room: RoomSummary): void {
    this.fanOut.userFollows(userId, room.id);
    this.fanOut.toUser(userId, 'show.room', room);
  }

  /** A user left a room: their sockets stop following it and every tab drops it. */
  roomRemoved(userId: string, roomId: string): void {
    this.fanOut.userUnfollows(userId, roomId);
    this.fanOut.toUser(userId, 'hide.room', { id: roomId });
  }

  membership(change: RoomMembershipChange): void {
    this.fanOut.toRoom(change.roomId, 'room.member', change);
  }
}

/** Access checks under way, per socket and room. */
const checksUnderWay = new WeakMap<ChatSocket, Map<string, Promise<void>>>();

/**
 * Refuses unless the socket's user may use the room; the check costs Redis once per socket.
 * Events that arrive while a check is under way wait for that same check, so they go on in the
 * order they came: an event must not overtake earlier ones because the socket joined the room
 * (through another path) while they were waiting for Redis.
 */
export function ensureRoomAccess(
  rooms: RoomRules,
  fanOut: FanOut,
  socket: ChatSocket,
  roomId: string,
): Promise<void> {
  const checks = checksUnderWay.get(socket) ?? new Map<string, Promise<void>>();
  checksUnderWay.set(socket, checks);
  const underWay = checks.get(roomId);
  if (underWay) return underWay;
  if (fanOut.follows(socket, roomId)) return Promise.resolve();
  const check = (async () => {
    await rooms.assertCanUseRoom(sessionUserOf(socket), roomId);
    await socket.join(roomChannel(roomId));
  })().finally(() => checks.delete(roomId));
  checks.set(roomId, check);
  return check;
}

/** Registers the room.join handler, shared by every socket. */
export function listenToRoomJoins(rooms: RoomRules, fanOut: FanOut, handle: HandleClientEvent) {
  handle.on('room.join', async (socket, roomId) => {
    await ensureRoomAccess(rooms, fanOut, socket, roomId);
    return {};
  });
}

export function roomsOnConnection(rooms: RoomRules, log: Logger, socket: ChatSocket): void {
  void followRooms(rooms, log, socket, sessionUserOf(socket));
}

/** Follows the user's other rooms (named rooms, private rooms) once their ids are known. */
async function followRooms(rooms: RoomRules, log: Logger, socket: ChatSocket, user: SessionUser) {
  try {
    const roomIds = await rooms.roomIdsOf(user);
    if (socket.connected) await socket.join(roomIds.map(roomChannel));
  } catch (error) {
    // Not fatal: each room is checked again on first use.
    log.warn(
      { err: error, userId: user.id, socketId: socket.id },
      'could not load the rooms of a new connection',
    );
  }
}
