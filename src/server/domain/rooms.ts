/**
 * Room ids and who may use a room. General ("0") is everyone's. A private room's id is
 * `{smaller user id}:{larger user id}` and its members are exactly those two users.
 */
import { GENERAL_ROOM_ID } from '../../protocol/models.js';

export interface PrivateRoomMembers {
  low: string;
  high: string;
}

export function privateRoomId(userA: string, userB: string): string {
  const [low, high] = [userA, userB].sort((a, b) => Number(a) - Number(b));
  return `${low}:${high}`;
}

/** The two members of a private room id, or null for any other room. */
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
