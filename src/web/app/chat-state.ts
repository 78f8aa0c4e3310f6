/**
 * The chat's client state and the only function that changes it. Pure, so every rule here (merge
 * by id, unread counts, the outbox of pending sends) is tested without a browser or a server.
 */
import {
  GENERAL_ROOM_ID,
  type ChatMessage,
  type ReadMarker,
  type RoomMembershipChange,
  type RoomSummary,
  type SessionUser,
  type TypingNotice,
  type UserPresence,
} from '../../protocol/index.js';
import type { Typist } from '../features/typing/typing.js';
import { compareMessageIds, mergeMessages } from '../lib/message-order.js';
import { privateRoomMembers } from '../../protocol/room-ids.js';

export type ConnectionStatus = 'connecting' | 'online' | 'offline';

/** A message typed here that the server has not confirmed (yet). */
export interface OutgoingMessage {
  localId: string;
  roomId: string;
  text: string;
  /** Unix seconds, client clock: only for display until the server's copy replaces it. */
  date: number;
  status: 'pending' | 'failed';
  error?: string;
}

/** "X connected" / "X left" in General: shown, never stored. */
export interface Notice {
  id: string;
  text: string;
  date: number;
  /** The message the notice follows in the timeline (null: before any message). */
  afterId: string | null;
}

export type RoomLoad = 'idle' | 'loading' | 'ready' | 'error';

export interface RoomState {
  summary: RoomSummary;
  /** Confirmed messages, oldest first, unique by id. */
  messages: ChatMessage[];
  outbox: OutgoingMessage[];
  notices: Notice[];
  load: RoomLoad;
  loadError: string | null;
  hasOlder: boolean;
  loadingOlder: boolean;
  unread: number;
  /** Of the unread messages, those that mention the user. */
  mentions: number;
  lastMessage: ChatMessage | null;
  /** Who is in the room, sorted by name; null until asked for. */
  members: UserPresence[] | null;
  /** Who else is typing here now. */
  typists: Typist[];
}

export interface ChatState {
  me: SessionUser;
  rooms: Record<string, RoomState>;
  currentRoomId: string;
  /**
   * The room the page's address asked for at start, until the room list says whether the user is
   * in it. Nothing is marked read meanwhile, so a reload does not read General by accident.
   */
  opening: string | null;
  users: Record<string, UserPresence>;
  connection: ConnectionStatus;
  /** When the connection came back after being lost (ms since epoch), for "Back online". */
  reconnectedAt: number | null;
}

export const NOTICES_KEPT = 30;

export type ChatAction =
  | { type: 'rooms.loaded'; rooms: RoomSummary[] }
  /** The room list could not be loaded: the address's room is given up for General. */
  | { type: 'opening.abandoned' }
  | { type: 'room.added'; room: RoomSummary }
  | { type: 'room.selected'; roomId: string }
  | { type: 'page.started'; roomId: string; older: boolean }
  | {
      type: 'page.loaded';
      roomId: string;
      /** Newest first, as the server sends pages. */
      messages: ChatMessage[];
      size: number;
      older: boolean;
    }
  | { type: 'page.failed'; roomId: string; older: boolean; error: string }
  | { type: 'messages.received'; messages: ChatMessage[] }
  | { type: 'message.updated'; message: ChatMessage }
  | { type: 'outbox.added'; message: OutgoingMessage }
  | { type: 'outbox.confirmed'; roomId: string; localId: string; message: ChatMessage }
  | { type: 'outbox.failed'; roomId: string; localId: string; error: string }
  | { type: 'outbox.retried'; roomId: string; localId: string }
  | { type: 'outbox.discarded'; roomId: string; localId: string }
  | { type: 'room.read'; marker: ReadMarker }
  | { type: 'room.removed'; roomId: string }
  | { type: 'members.loaded'; roomId: string; members: UserPresence[] }
  | { type: 'member.changed'; change: RoomMembershipChange }
  /** `until`: when the notice expires unless renewed (ms since epoch). */
  | { type: 'typing.changed'; notice: TypingNotice; until: number }
  | { type: 'typing.expired'; roomId: string; now: number }
  | { type: 'users.loaded'; users: Record<string, UserPresence>; onlineSnapshot: boolean }
  | { type: 'presence.changed'; user: UserPresence; noticeId: string }
  | { type: 'connection.changed'; status: ConnectionStatus; at: number };

export function newRoomState(summary: RoomSummary): RoomState {
  return {
    summary,
    messages: [],
    outbox: [],
    notices: [],
    load: 'idle',
    loadError: null,
    hasOlder: true,
    loadingOlder: false,
    unread: 0,
    mentions: 0,
    lastMessage: summary.lastMessage ?? null,
    members: null,
    typists: [],
  };
}

/** `openRoomId`: the room to show first (from the page's address), if the user is in it. */
export function initialChatState(me: SessionUser, openRoomId: string | null = null): ChatState {
  return {
    me,
    rooms: {
      [GENERAL_ROOM_ID]: newRoomState({ id: GENERAL_ROOM_ID, names: ['General'], kind: 'general' }),
    },
    currentRoomId: GENERAL_ROOM_ID,
    opening: openRoomId === GENERAL_ROOM_ID ? null : openRoomId,
    users: { [me.id]: { ...me, online: true } },
    connection: 'connecting',
    reconnectedAt: null,
  };
}

const newer = (a: ChatMessage | null, b: ChatMessage | null): ChatMessage | null =>
  !a ? b : !b ? a : compareMessageIds(a.id, b.id) >= 0 ? a : b;

/** Private room summaries name both members: that is enough to know their usernames. */
function usersNamedBy(room: RoomSummary, users: ChatState['users']): ChatState['users'] {
  const members = privateRoomMembers(room.id);
  if (!members) return users;
  let result = users;
  [members.low, members.high].forEach((id, index) => {
    const username = room.names[index];
    if (username && result[id]?.username !== username) {
      result = { ...result, [id]: { id, username, online: result[id]?.online ?? false } };
    }
  });
  return result;
}

/** A room we only know from a message: named from the users we know until the list is refreshed. */
function placeholderSummary(roomId: string, users: ChatState['users']): RoomSummary {
  const members = privateRoomMembers(roomId);
  if (!members) return { id: roomId, names: ['…'] };
  const names = [members.low, members.high].map((id) => users[id]?.username ?? '…');
  return { id: roomId, names, kind: 'direct' };
}

function updateRoom(
  state: ChatState,
  roomId: string,
  change: (room: RoomState) => RoomState,
): ChatState {
  const room = state.rooms[roomId];
  if (!room) return state;
  const next = change(room);
  return next === room ? state : { ...state, rooms: { ...state.rooms, [roomId]: next } };
}

function updateOutgoing(
  state: ChatState,
  roomId: string,
  localId: string,
  change: (message: OutgoingMessage) => OutgoingMessage | null,
): ChatState {
  return updateRoom(state, roomId, (room) => {
    const outbox: OutgoingMessage[] = [];
    let changed = false;
    for (const message of room.outbox) {
      if (message.localId !== localId) {
        outbox.push(message);
        continue;
      }
      changed = true;
      const next = change(message);
      if (next) outbox.push(next);
    }
    return changed ? { ...room, outbox } : room;
  });
}

/**
 * The server's copy of one of our own messages can arrive (as a live event or in a catch-up)
 * before the ack: it then confirms the oldest outgoing message with the same text, so it is
 * never shown twice. A failed one counts too: a timeout does not mean the server never got it.
 */
function settleOutbox(room: RoomState, mine: ChatMessage[]): OutgoingMessage[] {
  if (mine.length === 0 || room.outbox.length === 0) return room.outbox;
  const outbox = [...room.outbox];
  for (const message of mine) {
    const index = outbox.findIndex((out) => out.text === message.message);
    if (index >= 0) outbox.splice(index, 1);
  }
  return outbox;
}

function receive(state: ChatState, messages: ChatMessage[]): ChatState {
  const byRoom = new Map<string, ChatMessage[]>();
  for (const message of messages) {
    const list = byRoom.get(message.roomId) ?? [];
    list.push(message);
    byRoom.set(message.roomId, list);
  }
  let next = state;
  for (const [roomId, incoming] of byRoom) {
    if (!next.rooms[roomId]) {
      next = {
        ...next,
        rooms: { ...next.rooms, [roomId]: newRoomState(placeholderSummary(roomId, next.users)) },
      };
    }
    next = updateRoom(next, roomId, (room) => {
      // A room whose first page is not asked for yet keeps only its preview: storing a few live
      // messages would leave a gap between them and the page loaded later.
      const keep = room.load === 'loading' || room.load === 'ready';
      const { messages: merged, added } = keep
        ? mergeMessages(room.messages, incoming)
        : { messages: room.messages, added: incoming };
      const newest = added.reduce<ChatMessage | null>(
        (latest, message) => newer(latest, message),
        null,
      );
      const fresh = added.filter(
        (message) => !room.lastMessage || compareMessageIds(message.id, room.lastMessage.id) > 0,
      );
      const unseenMessages =
        roomId === state.currentRoomId
          ? []
          : fresh.filter((message) => message.from !== state.me.id);
      const unseen = unseenMessages.length;
      const unseenMentions = unseenMessages.filter((message) =>
        message.mentions?.includes(state.me.id),
      ).length;
      const outbox = settleOutbox(
        room,
        added.filter((message) => message.from === state.me.id),
      );
      // Whoever just wrote is no longer typing.
      const typists = room.typists.filter(
        (typist) => !added.some((message) => message.from === typist.userId),
      );
      if (
        merged === room.messages &&
        unseen === 0 &&
        outbox === room.outbox &&
        !newest &&
        typists.length === room.typists.length
      ) {
        return room;
      }
      const lastMessage = newer(room.lastMessage, newest);
      // Writing in a room means having read it.
      const readByMe = lastMessage?.from === state.me.id;
      return {
        ...room,
        messages: merged,
        outbox,
        unread: readByMe ? 0 : room.unread + unseen,
        mentions: readByMe ? 0 : room.mentions + unseenMentions,
        lastMessage,
        typists: typists.length === room.typists.length ? room.typists : typists,
      };
    });
  }
  return next;
}

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'rooms.loaded': {
      const rooms = { ...state.rooms };
      let users = state.users;
      const currentRoomId =
        state.opening && action.rooms.some((summary) => summary.id === state.opening)
          ? state.opening
          : state.currentRoomId;
      for (const summary of action.rooms) {
        users = usersNamedBy(summary, users);
        const known = rooms[summary.id];
        const lastMessage = newer(known?.lastMessage ?? null, summary.lastMessage ?? null);
        // Whoever wrote the newest message has read what came before it.
        const read = summary.id === currentRoomId || lastMessage?.from === state.me.id;
        const unread = read ? 0 : (summary.unread ?? known?.unread ?? 0);
        const mentions = read ? 0 : (summary.unreadMentions ?? known?.mentions ?? 0);
        rooms[summary.id] = known
          ? { ...known, summary, lastMessage, unread, mentions }
          : { ...newRoomState(summary), unread, mentions };
      }
      return { ...state, rooms, users, currentRoomId, opening: null };
    }
    case 'opening.abandoned':
      return state.opening ? { ...state, opening: null } : state;
    case 'room.added': {
      const users = usersNamedBy(action.room, state.users);
      const known = state.rooms[action.room.id];
      const room = known
        ? { ...known, summary: { ...known.summary, ...action.room } }
        : newRoomState(action.room);
      return { ...state, users, rooms: { ...state.rooms, [action.room.id]: room } };
    }
    case 'room.selected': {
      if (!state.rooms[action.roomId]) return state;
      const next = updateRoom(state, action.roomId, (room) =>
        room.unread === 0 && room.mentions === 0 ? room : { ...room, unread: 0, mentions: 0 },
      );
      return { ...next, currentRoomId: action.roomId };
    }
    case 'page.started':
      return updateRoom(state, action.roomId, (room) =>
        action.older
          ? { ...room, loadingOlder: true }
          : { ...room, load: room.load === 'ready' ? 'ready' : 'loading', loadError: null },
      );
    case 'page.loaded':
      return updateRoom(state, action.roomId, (room) => {
        const { messages } = mergeMessages(room.messages, action.messages);
        const newest = action.messages[0] ?? null;
        const hasOlder =
          action.older || room.load !== 'ready'
            ? action.messages.length >= action.size
            : room.hasOlder;
        return {
          ...room,
          messages,
          outbox: settleOutbox(
            room,
            action.messages.filter(
              (message) =>
                message.from === state.me.id &&
                !room.messages.some((known) => known.id === message.id),
            ),
          ),
          load: 'ready',
          loadError: null,
          hasOlder,
          loadingOlder: action.older ? false : room.loadingOlder,
          lastMessage: newer(room.lastMessage, newest),
        };
      });
    case 'page.failed':
      return updateRoom(state, action.roomId, (room) =>
        action.older
          ? { ...room, loadingOlder: false }
          : { ...room, load: room.load === 'ready' ? 'ready' : 'error', loadError: action.error },
      );
    case 'messages.received':
      return receive(state, action.messages);
    case 'message.updated':
      return updateRoom(state, action.message.roomId, (room) => {
        const loaded = room.messages.some((message) => message.id === action.message.id);
        const isLast = room.lastMessage?.id === action.message.id;
        if (!loaded && !isLast) return room;
        // An unloaded message stays unloaded (no gap in the history); the preview still changes.
        const messages = loaded
          ? mergeMessages(room.messages, [action.message]).messages
          : room.messages;
        return { ...room, messages, lastMessage: isLast ? action.message : room.lastMessage };
      });
    case 'outbox.added':
      return updateRoom(state, action.message.roomId, (room) => ({
        ...room,
        outbox: [...room.outbox, action.message],
      }));
    case 'outbox.confirmed': {
      const next = updateOutgoing(state, action.roomId, action.localId, () => null);
      return receive(next, [action.message]);
    }
    case 'outbox.failed':
      return updateOutgoing(state, action.roomId, action.localId, (message) => ({
        ...message,
        status: 'failed',
        error: action.error,
      }));
    case 'outbox.retried':
      return updateOutgoing(state, action.roomId, action.localId, (message) => {
        const { error: _error, ...rest } = message;
        return { ...rest, status: 'pending' };
      });
    case 'outbox.discarded':
      return updateOutgoing(state, action.roomId, action.localId, () => null);
    case 'room.read':
      return updateRoom(state, action.marker.roomId, (room) =>
        (room.unread > 0 || room.mentions > 0) &&
        (!room.lastMessage || compareMessageIds(action.marker.lastReadId, room.lastMessage.id) >= 0)
          ? { ...room, unread: 0, mentions: 0 }
          : room,
      );
    case 'room.removed': {
      if (!state.rooms[action.roomId] || action.roomId === GENERAL_ROOM_ID) return state;
      const { [action.roomId]: _removed, ...rooms } = state.rooms;
      return {
        ...state,
        rooms,
        currentRoomId:
          state.currentRoomId === action.roomId ? GENERAL_ROOM_ID : state.currentRoomId,
      };
    }
    case 'members.loaded': {
      const next = updateRoom(state, action.roomId, (room) => ({
        ...room,
        members: action.members,
      }));
      // Names learnt here serve the timeline too; presence already known is kept (events keep it live).
      const users = { ...next.users };
      let changed = false;
      for (const member of action.members) {
        if (users[member.id]) continue;
        users[member.id] = member;
        changed = true;
      }
      return changed ? { ...next, users } : next;
    }
    case 'member.changed': {
      const { roomId, user, joined } = action.change;
      const known = state.users[user.id];
      const presence: UserPresence = known ?? { ...user, online: joined };
      const next = known ? state : { ...state, users: { ...state.users, [user.id]: presence } };
      return updateRoom(next, roomId, (room) => {
        if (!room.members) return room;
        const others = room.members.filter((member) => member.id !== user.id);
        const members = joined
          ? [...others, { ...presence, username: user.username }].sort((a, b) =>
              a.username.localeCompare(b.username),
            )
          : others;
        return { ...room, members };
      });
    }
    case 'typing.changed': {
      const { notice, until } = action;
      if (notice.userId === state.me.id) return state;
      return updateRoom(state, notice.roomId, (room) => {
        const others = room.typists.filter((typist) => typist.userId !== notice.userId);
        if (!notice.typing) {
          return others.length === room.typists.length ? room : { ...room, typists: others };
        }
        const typist: Typist = { userId: notice.userId, username: notice.username, until };
        // Renewals keep their place, so the sentence does not reshuffle while people type.
        const index = room.typists.findIndex((known) => known.userId === notice.userId);
        const typists =
          index < 0
            ? [...room.typists, typist]
            : room.typists.map((known, i) => (i === index ? typist : known));
        return { ...room, typists };
      });
    }
    case 'typing.expired':
      return updateRoom(state, action.roomId, (room) => {
        const typists = room.typists.filter((typist) => typist.until > action.now);
        return typists.length === room.typists.length ? room : { ...room, typists };
      });
    case 'users.loaded': {
      const users = { ...state.users };
      if (action.onlineSnapshot) {
        // Everyone missing from the snapshot is offline now.
        for (const [id, user] of Object.entries(users)) {
          if (user.online && !action.users[id] && id !== state.me.id) {
            users[id] = { ...user, online: false };
          }
        }
      }
      for (const [id, user] of Object.entries(action.users)) users[id] = user;
      users[state.me.id] = { ...state.me, online: true };
      return { ...state, users };
    }
    case 'presence.changed': {
      const { user } = action;
      const known = state.users[user.id];
      if (user.id === state.me.id || known?.online === user.online) {
        return { ...state, users: { ...state.users, [user.id]: { ...known, ...user } } };
      }
      const next = { ...state, users: { ...state.users, [user.id]: user } };
      return updateRoom(next, GENERAL_ROOM_ID, (room) => {
        // General's members are everyone: someone new to us joins its list (for @-suggestions).
        const members =
          room.members && !room.members.some((member) => member.id === user.id)
            ? [...room.members, user].sort((a, b) => a.username.localeCompare(b.username))
            : room.members;
        const notice: Notice = {
          id: action.noticeId,
          text: `${user.username} ${user.online ? 'connected' : 'left'}`,
          date: Date.now() / 1000,
          afterId: room.messages.at(-1)?.id ?? null,
        };
        return { ...room, members, notices: [...room.notices, notice].slice(-NOTICES_KEPT) };
      });
    }
    case 'connection.changed': {
      if (action.status === state.connection) return state;
      const cameBack = action.status === 'online' && state.connection === 'offline';
      return {
        ...state,
        connection: action.status,
        reconnectedAt: cameBack
          ? action.at
          : action.status === 'online'
            ? state.reconnectedAt
            : null,
      };
    }
  }
}

/** Rooms in list order: General first, then the most recently active. */
export function roomsInOrder(state: ChatState): RoomState[] {
  return Object.values(state.rooms).sort((a, b) => {
    if (a.summary.id === GENERAL_ROOM_ID) return -1;
    if (b.summary.id === GENERAL_ROOM_ID) return 1;
    const byActivity = compareMessageIds(b.lastMessage?.id ?? '', a.lastMessage?.id ?? '');
    return byActivity !== 0
      ? byActivity
      : roomTitle(a.summary, state.me.id).localeCompare(roomTitle(b.summary, state.me.id));
  });
}

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
