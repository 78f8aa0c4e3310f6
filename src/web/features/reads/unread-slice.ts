/**
 * Unread counts per room: the messages of others that arrived while the room was not open, and
 * of those the ones that mention the user. The server's counts come with the room list; the
 * user's read markers (on any tab or device) clear them.
 */
import { GENERAL_ROOM_ID, type ReadMarker } from '../../../protocol/index.js';
import type { ChatEvent } from '../../core/events.js';
import { compareMessageIds } from '../../core/lib/message-order.js';
import { shallowEqual, useSelector } from '../../core/store/index.js';
import type { WithSession } from '../auth/index.js';
import { mentionsUser } from '../mentions/index.js';
import { arrivalIn, messagesByRoom, newer, type WithTimelines } from '../messages/index.js';
import { openRoomAfterListing, type WithOpenRoom } from '../navigation/index.js';

export interface UnreadCount {
  messages: number;
  /** Of the unread messages, those that mention the user. */
  mentions: number;
}

export type UnreadState = Record<string, UnreadCount>;

export interface WithUnread {
  unread: UnreadState;
}

/** The user read a room on some tab or device. */
export type ReadsAction = { type: 'room.read'; marker: ReadMarker };

const NOTHING_UNREAD: UnreadCount = { messages: 0, mentions: 0 };

function setCount(slice: UnreadState, roomId: string, count: UnreadCount): UnreadState {
  const known = slice[roomId] ?? NOTHING_UNREAD;
  if (known.messages === count.messages && known.mentions === count.mentions) return slice;
  if (count.messages === 0 && count.mentions === 0) {
    const { [roomId]: _read, ...rest } = slice;
    return rest;
  }
  return { ...slice, [roomId]: count };
}

type Root = WithSession & WithOpenRoom & WithTimelines;

export function unreadReducer(
  slice: UnreadState,
  action: ChatEvent | ReadsAction,
  root: Root,
): UnreadState {
  const meId = root.session.me.id;
  switch (action.type) {
    case 'messages.arrived': {
      let next = slice;
      for (const [roomId, incoming] of messagesByRoom(action.messages)) {
        const { added, fresh, latest } = arrivalIn(root.timelines[roomId], incoming);
        if (added.length === 0) continue;
        // Writing in a room means having read it.
        if (latest?.from === meId) {
          next = setCount(next, roomId, NOTHING_UNREAD);
          continue;
        }
        const unseen =
          roomId === root.openRoom.roomId ? [] : fresh.filter((message) => message.from !== meId);
        const known = next[roomId] ?? NOTHING_UNREAD;
        next = setCount(next, roomId, {
          messages: known.messages + unseen.length,
          mentions: known.mentions + unseen.filter((message) => mentionsUser(message, meId)).length,
        });
      }
      return next;
    }
    case 'rooms.listed': {
      const openRoomId = openRoomAfterListing(root.openRoom, action.rooms);
      let next = slice;
      for (const summary of action.rooms) {
        const latest = newer(
          root.timelines[summary.id]?.latest ?? null,
          summary.lastMessage ?? null,
        );
        // Whoever wrote the newest message has read what came before it.
        const read = summary.id === openRoomId || latest?.from === meId;
        const known = slice[summary.id] ?? NOTHING_UNREAD;
        next = setCount(
          next,
          summary.id,
          read
            ? NOTHING_UNREAD
            : {
                messages: summary.unread ?? known.messages,
                mentions: summary.unreadMentions ?? known.mentions,
              },
        );
      }
      return next;
    }
    case 'room.opened':
      return setCount(slice, action.roomId, NOTHING_UNREAD);
    case 'room.left':
      return action.roomId === GENERAL_ROOM_ID
        ? slice
        : setCount(slice, action.roomId, NOTHING_UNREAD);
    case 'room.read': {
      const { roomId, lastReadId } = action.marker;
      const latest = root.timelines[roomId]?.latest;
      return !latest || compareMessageIds(lastReadId, latest.id) >= 0
        ? setCount(slice, roomId, NOTHING_UNREAD)
        : slice;
    }
    default:
      return slice;
  }
}

export const selectUnread = (state: WithUnread, roomId: string): UnreadCount =>
  state.unread[roomId] ?? NOTHING_UNREAD;

/** Unread messages in all rooms (the page's title, the menu button's badge). */
export const selectUnreadTotal = (state: WithUnread): number =>
  Object.values(state.unread).reduce((sum, count) => sum + count.messages, 0);

export const useUnread = (roomId: string): UnreadCount =>
  useSelector((state: WithUnread) => selectUnread(state, roomId), shallowEqual);

export const useUnreadTotal = (): number => useSelector(selectUnreadTotal);
