/**
 * The one room-id rule, shared by server and client. General ("0") is everyone's. A private room's
 * id is `{smaller user id}:{larger user id}` (compared as numbers) and its members are exactly those
 * two users. Every other id names a group room.
 */
import { z } from 'zod';
import { GENERAL_ROOM_ID } from './models.js';

/**
 * What a client may name as a room: "0" (General), "<a>:<b>" (private) or another decimal id
 * (group rooms). Whether the room exists, and whether a private id is spelled canonically, the
 * rules decide (a non-canonical "2:1" names no room).
 */
export const roomIdSchema = z
  .string({ error: 'roomId must be a string' })
  .regex(/^(0|[1-9][0-9]{0,15}(:[1-9][0-9]{0,15})?)$/, 'roomId is not a valid room id')
  .meta({ id: 'RoomId', description: '"0" (General), "<low>:<high>" (private) or a group id.' });

/** The two members of a private room, the smaller user id first. */
export interface PrivateRoomMembers {
  low: string;
  high: string;
}

export function privateRoomId(userA: string, userB: string): string {
  const [low, high] = Number(userA) <= Number(userB) ? [userA, userB] : [userB, userA];
  return `${low}:${high}`;
}

/** The two members of a private room id, or null for General, group rooms and non-canonical ids. */
export function privateRoomMembers(roomId: string): PrivateRoomMembers | null {
  const match = /^([1-9][0-9]*):([1-9][0-9]*)$/.exec(roomId);
  if (!match?.[1] || !match[2]) return null;
  const [low, high] = [match[1], match[2]];
  // Only the canonical spelling is a room: "2:1" or "1:1" would be a second key for nothing.
  if (Number(low) >= Number(high)) return null;
  return { low, high };
}

export const isGeneralRoom = (roomId: string) => roomId === GENERAL_ROOM_ID;

export const isPrivateRoomMember = (members: PrivateRoomMembers, userId: string) =>
  members.low === userId || members.high === userId;

/** The other member of a private room, or null when the room is not private or `userId` not in it. */
export function privateRoomPartner(roomId: string, userId: string): string | null {
  const members = privateRoomMembers(roomId);
  if (!members) return null;
  if (members.low === userId) return members.high;
  if (members.high === userId) return members.low;
  return null;
}
