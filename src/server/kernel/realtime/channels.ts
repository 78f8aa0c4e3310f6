/**
 * Names of Socket.IO rooms (in-memory groups of sockets, not chat rooms in Redis), and the one
 * audience rule: which of them may see a chat room's events.
 */
import { GENERAL_ROOM_ID } from '../../../protocol/models.js';
import { privateRoomMembers } from '../../../protocol/room-ids.js';

/** Every socket of one user, on every instance. */
export const userChannel = (userId: string) => `user:${userId}`;
/** Every socket allowed to follow a chat room. */
export const roomChannel = (roomId: string) => `room:${roomId}`;

/**
 * The Socket.IO rooms that may see a chat room's events: a private room's two members only;
 * everyone following the room otherwise (General is followed by every signed-in socket).
 */
export function audienceOf(roomId: string): string[] {
  const members = privateRoomMembers(roomId);
  return members ? [userChannel(members.low), userChannel(members.high)] : [roomChannel(roomId)];
}

/**
 * Private rooms go to the members' user channels and General to a channel every socket joins,
 * both at connection: their audience is in place before any message can arrive.
 */
export const joinedAtConnection = (roomId: string) =>
  roomId === GENERAL_ROOM_ID || privateRoomMembers(roomId) !== null;
