/** What the room list, the header and the dialogs show of the rooms, computed from the store. */
import {
  GENERAL_ROOM_ID,
  privateRoomMembers,
  type RoomKind,
  type RoomSummary,
  type RoomVisibility,
  type UserPresence,
} from '../../../protocol/index.js';
import { compareMessageIds } from '../../core/lib/message-order.js';
import { shallowEqual, useSelector } from '../../core/store/index.js';
import type { WithSession } from '../auth/index.js';
import { selectLatest, type WithTimelines } from '../messages/index.js';
import type { WithUsers } from '../presence/index.js';
import type { WithRooms } from './rooms-slice.js';

type State = WithSession & WithUsers & WithTimelines & WithRooms;

/** For a private room: the other member's id. */
export function partnerOf(room: RoomSummary, meId: string): string | null {
  const members = privateRoomMembers(room.id);
  if (!members) return null;
  return members.low === meId ? members.high : members.low;
}

/** The name a room is shown under: the other member's name for a private room. */
export function roomTitle(room: RoomSummary, meId: string): string {
  const members = privateRoomMembers(room.id);
  if (!members) return room.names[0] ?? 'Room';
  const index = members.low === meId ? 1 : 0;
  return room.names[index] ?? room.names[0] ?? 'Private chat';
}

/** What kind of room a summary names, also for summaries from servers that do not say. */
export function kindOfRoom(summary: { id: string; kind?: RoomKind }, partnerId: string | null) {
  return (
    summary.kind ?? (summary.id === GENERAL_ROOM_ID ? 'general' : partnerId ? 'direct' : 'group')
  );
}

/** Room ids in list order: General first, then the most recently active. */
export function selectRoomIdsInOrder(state: State): string[] {
  const meId = state.session.me.id;
  return Object.values(state.rooms)
    .map(({ summary }) => summary)
    .sort((a, b) => {
      if (a.id === GENERAL_ROOM_ID) return -1;
      if (b.id === GENERAL_ROOM_ID) return 1;
      const byActivity = compareMessageIds(
        selectLatest(state, b.id)?.id ?? '',
        selectLatest(state, a.id)?.id ?? '',
      );
      return byActivity !== 0 ? byActivity : roomTitle(a, meId).localeCompare(roomTitle(b, meId));
    })
    .map((summary) => summary.id);
}

/** One row of the room list (the unread badges come from reads). */
export interface RoomItem {
  id: string;
  title: string;
  kind: RoomKind;
  /** For group rooms. */
  visibility: RoomVisibility | null;
  /** For private rooms: the other member, for the avatar and the online dot. */
  partnerId: string | null;
  online: boolean | null;
  preview: string;
  /** Date of the last message (unix seconds). */
  lastDate: number | null;
}

const PREVIEW_LENGTH = 80;

export function selectRoomItem(state: State, roomId: string): RoomItem | null {
  const summary = state.rooms[roomId]?.summary;
  if (!summary) return null;
  const meId = state.session.me.id;
  const lastMessage = selectLatest(state, roomId);
  const partnerId = partnerOf(summary, meId);
  let preview = 'No messages yet';
  if (lastMessage) {
    const text = lastMessage.deleted ? 'Message deleted' : lastMessage.message.replace(/\s+/g, ' ');
    const author =
      lastMessage.from === meId
        ? 'You: '
        : summary.id === GENERAL_ROOM_ID || !partnerId
          ? `${state.users[lastMessage.from]?.username ?? 'Someone'}: `
          : '';
    preview = (author + text).slice(0, PREVIEW_LENGTH);
  }
  return {
    id: summary.id,
    title: roomTitle(summary, meId),
    kind: kindOfRoom(summary, partnerId),
    visibility: summary.visibility ?? null,
    partnerId,
    online: partnerId ? (state.users[partnerId]?.online ?? false) : null,
    preview,
    lastDate: lastMessage?.date ?? null,
  };
}

/** The open room as its header shows it. */
export interface RoomHeadingInfo {
  title: string;
  kind: RoomKind;
  visibility: RoomVisibility | null;
  partnerId: string | null;
}

export function selectRoomHeading(state: State, roomId: string): RoomHeadingInfo {
  const summary = state.rooms[roomId]?.summary ?? { id: roomId, names: ['…'] };
  const partnerId = partnerOf(summary, state.session.me.id);
  return {
    title: roomTitle(summary, state.session.me.id),
    kind: kindOfRoom(summary, partnerId),
    visibility: summary.visibility ?? null,
    partnerId,
  };
}

/** A room's members with their presence from the live events (over the list's snapshot). */
export function selectMembers(state: State, roomId: string): UserPresence[] | null {
  return (
    state.rooms[roomId]?.members?.map((member) => {
      const known = state.users[member.id];
      return known ? { ...member, online: known.online } : member;
    }) ?? null
  );
}

const sameMembers = (a: UserPresence[] | null, b: UserPresence[] | null) =>
  a === b ||
  (a !== null &&
    b !== null &&
    a.length === b.length &&
    a.every(
      (member, index) =>
        member.id === b[index]!.id &&
        member.username === b[index]!.username &&
        member.online === b[index]!.online,
    ));

/** Who `@` suggests in a room: its members, the reader left out. */
export const selectMentionable = (state: State, roomId: string): UserPresence[] =>
  (state.rooms[roomId]?.members ?? []).filter((member) => member.id !== state.session.me.id);

export const useRoomIdsInOrder = () => useSelector(selectRoomIdsInOrder, shallowEqual);

export const useRoomItem = (roomId: string) =>
  useSelector((state: State) => selectRoomItem(state, roomId), shallowEqual);

export const useRoomHeading = (roomId: string) =>
  useSelector((state: State) => selectRoomHeading(state, roomId), shallowEqual);

export const useMembers = (roomId: string) =>
  useSelector((state: State) => selectMembers(state, roomId), sameMembers);

export const useMentionable = (roomId: string) =>
  useSelector((state: State) => selectMentionable(state, roomId), shallowEqual);
