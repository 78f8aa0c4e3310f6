/**
 * The rooms the user is in: each one's summary (names, kind, visibility) and, once asked for, its
 * members. A message in a room we did not know adds it with a provisional name until the list is
 * fetched again.
 */
import {
  GENERAL_ROOM_ID,
  privateRoomMembers,
  type RoomSummary,
  type UserPresence,
} from '../../../protocol/index.js';
import type { ChatEvent } from '../../core/events.js';
import type { WithSession } from '../auth/index.js';
import { messagesByRoom } from '../messages/index.js';
import { isPresenceChange, type UsersState, type WithUsers } from '../presence/index.js';

export interface RoomEntry {
  summary: RoomSummary;
  /** Who is in the room, sorted by name; null until asked for. */
  members: UserPresence[] | null;
}

export type RoomsState = Record<string, RoomEntry>;

export interface WithRooms {
  rooms: RoomsState;
}

export const initialRoomsState = (): RoomsState => ({
  [GENERAL_ROOM_ID]: {
    summary: { id: GENERAL_ROOM_ID, names: ['General'], kind: 'general' },
    members: null,
  },
});

/** A room we only know from a message: named from the users we know until the list is refreshed. */
function placeholderSummary(roomId: string, users: UsersState): RoomSummary {
  const members = privateRoomMembers(roomId);
  if (!members) return { id: roomId, names: ['…'] };
  const names = [members.low, members.high].map((id) => users[id]?.username ?? '…');
  return { id: roomId, names, kind: 'direct' };
}

const byName = (a: UserPresence, b: UserPresence) => a.username.localeCompare(b.username);

function updateMembers(
  slice: RoomsState,
  roomId: string,
  change: (members: UserPresence[]) => UserPresence[],
): RoomsState {
  const room = slice[roomId];
  if (!room?.members) return slice;
  const members = change(room.members);
  return members === room.members ? slice : { ...slice, [roomId]: { ...room, members } };
}

export function roomsReducer(
  slice: RoomsState,
  action: ChatEvent,
  root: WithSession & WithUsers,
): RoomsState {
  switch (action.type) {
    case 'rooms.listed': {
      const rooms = { ...slice };
      for (const summary of action.rooms) {
        const known = rooms[summary.id];
        rooms[summary.id] = known ? { ...known, summary } : { summary, members: null };
      }
      return rooms;
    }
    case 'room.added': {
      const known = slice[action.room.id];
      const room = known
        ? { ...known, summary: { ...known.summary, ...action.room } }
        : { summary: action.room, members: null };
      return { ...slice, [action.room.id]: room };
    }
    case 'room.left': {
      if (!slice[action.roomId] || action.roomId === GENERAL_ROOM_ID) return slice;
      const { [action.roomId]: _left, ...rooms } = slice;
      return rooms;
    }
    case 'messages.arrived': {
      let next = slice;
      for (const roomId of messagesByRoom(action.messages).keys()) {
        if (next[roomId]) continue;
        const summary = placeholderSummary(roomId, root.users);
        next = { ...next, [roomId]: { summary, members: null } };
      }
      return next;
    }
    case 'members.listed': {
      const room = slice[action.roomId];
      return room ? { ...slice, [action.roomId]: { ...room, members: action.members } } : slice;
    }
    case 'member.changed': {
      const { roomId, user, joined } = action.change;
      const presence: UserPresence = root.users[user.id] ?? { ...user, online: joined };
      return updateMembers(slice, roomId, (members) => {
        const others = members.filter((member) => member.id !== user.id);
        return joined ? [...others, { ...presence, username: user.username }].sort(byName) : others;
      });
    }
    case 'presence.changed': {
      const { user } = action;
      if (!isPresenceChange(root, user)) return slice;
      // General's members are everyone: someone new to us joins its list (for @-suggestions).
      return updateMembers(slice, GENERAL_ROOM_ID, (members) =>
        members.some((member) => member.id === user.id) ? members : [...members, user].sort(byName),
      );
    }
    default:
      return slice;
  }
}
