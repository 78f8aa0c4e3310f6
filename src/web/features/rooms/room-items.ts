/** What the room list shows for each room, computed from the chat state. */
import { GENERAL_ROOM_ID, type RoomKind, type RoomVisibility } from '../../../protocol/index.js';
import { partnerOf, roomTitle, roomsInOrder, type ChatState } from '../../app/chat-state.js';

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
  unread: number;
  /** Unread messages that mention the user. */
  mentions: number;
}

/** What kind of room a summary names, also for summaries from servers that do not say. */
export function kindOfRoom(summary: { id: string; kind?: RoomKind }, partnerId: string | null) {
  return (
    summary.kind ?? (summary.id === GENERAL_ROOM_ID ? 'general' : partnerId ? 'direct' : 'group')
  );
}

const PREVIEW_LENGTH = 80;

export function roomItems(state: ChatState): RoomItem[] {
  return roomsInOrder(state).map((room) => {
    const { summary, lastMessage } = room;
    const partnerId = partnerOf(summary, state.me.id);
    let preview = 'No messages yet';
    if (lastMessage) {
      const text = lastMessage.deleted
        ? 'Message deleted'
        : lastMessage.message.replace(/\s+/g, ' ');
      const author =
        lastMessage.from === state.me.id
          ? 'You: '
          : summary.id === GENERAL_ROOM_ID || !partnerId
            ? `${state.users[lastMessage.from]?.username ?? 'Someone'}: `
            : '';
      preview = (author + text).slice(0, PREVIEW_LENGTH);
    }
    return {
      id: summary.id,
      title: roomTitle(summary, state.me.id),
      kind: kindOfRoom(summary, partnerId),
      visibility: summary.visibility ?? null,
      partnerId,
      online: partnerId ? (state.users[partnerId]?.online ?? false) : null,
      preview,
      lastDate: lastMessage?.date ?? null,
      unread: room.unread,
      mentions: room.mentions,
    };
  });
}
