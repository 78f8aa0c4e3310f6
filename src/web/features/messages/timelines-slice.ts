/**
 * Each room's timeline: the confirmed messages (oldest first, unique by id), our sends the server
 * has not confirmed, General's "connected / left" notices, how far the history is loaded, and the
 * newest message known in the room even when its history is not loaded (the room list's preview).
 */
import { GENERAL_ROOM_ID, type ChatMessage, type FileRef } from '../../../protocol/index.js';
import type { ChatEvent } from '../../core/events.js';
import { compareMessageIds, mergeMessages } from '../../core/lib/message-order.js';
import type { WithSession } from '../auth/index.js';
import { isPresenceChange, type WithUsers } from '../presence/index.js';

/** A message typed here that the server has not confirmed (yet). */
export interface OutgoingMessage {
  localId: string;
  /** Sent with every try of this message: the server stores it once however often it is tried. */
  clientId: string;
  roomId: string;
  text: string;
  /** Uploaded files it carries. */
  files?: FileRef[];
  /** Unix seconds, client clock: only for display until the server's copy replaces it. */
  date: number;
  status: 'pending' | 'failed';
  error?: string;
  /** A reply: the message it answers. */
  replyTo?: string;
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

export interface Timeline {
  /** Confirmed messages, oldest first, unique by id. */
  messages: ChatMessage[];
  outbox: OutgoingMessage[];
  notices: Notice[];
  load: RoomLoad;
  loadError: string | null;
  hasOlder: boolean;
  loadingOlder: boolean;
  /** The newest message known in the room, loaded or not. */
  latest: ChatMessage | null;
  /** A message to scroll to and highlight (a search hit, a quoted message), until shown. */
  focus: string | null;
}

export type TimelinesState = Record<string, Timeline>;

export interface WithTimelines {
  timelines: TimelinesState;
}

export const NOTICES_KEPT = 30;

export type MessagesAction =
  | { type: 'page.started'; roomId: string; older: boolean }
  | {
      type: 'page.loaded';
      roomId: string;
      /** Newest first, as the server sends pages. */
      messages: ChatMessage[];
      size: number;
      older: boolean;
      /**
       * The page is a message in context (its neighbours, filled up to the loaded history): the
       * message to show. The history before the page is not known to end there.
       */
      focus?: string;
    }
  | { type: 'page.failed'; roomId: string; older: boolean; error: string }
  /** Scroll to this loaded message and highlight it; `null` once the list has done so. */
  | { type: 'message.focused'; roomId: string; messageId: string | null }
  /** Edited or deleted: replace it by id. */
  | { type: 'message.updated'; message: ChatMessage }
  | { type: 'outbox.added'; message: OutgoingMessage }
  /** Acknowledged: dispatched with a `messages.arrived` of the server's copy. */
  | { type: 'outbox.confirmed'; roomId: string; localId: string }
  | { type: 'outbox.failed'; roomId: string; localId: string; error: string }
  | { type: 'outbox.retried'; roomId: string; localId: string }
  | { type: 'outbox.discarded'; roomId: string; localId: string };

export function newTimeline(latest: ChatMessage | null = null): Timeline {
  return {
    messages: [],
    outbox: [],
    notices: [],
    load: 'idle',
    loadError: null,
    hasOlder: true,
    loadingOlder: false,
    latest,
    focus: null,
  };
}

/** A room no timeline was made for: nothing loaded, nothing known. */
const NO_TIMELINE: Timeline = newTimeline();

export const initialTimelinesState = (): TimelinesState => ({ [GENERAL_ROOM_ID]: newTimeline() });

export const newer = (a: ChatMessage | null, b: ChatMessage | null): ChatMessage | null =>
  !a ? b : !b ? a : compareMessageIds(a.id, b.id) >= 0 ? a : b;

/** Messages grouped by room, in arrival order. */
export function messagesByRoom(messages: readonly ChatMessage[]): Map<string, ChatMessage[]> {
  const byRoom = new Map<string, ChatMessage[]>();
  for (const message of messages) {
    const list = byRoom.get(message.roomId) ?? [];
    list.push(message);
    byRoom.set(message.roomId, list);
  }
  return byRoom;
}

/** What messages arriving in one room do to its timeline. */
export interface Arrival {
  /** The timeline's confirmed messages afterwards. */
  messages: ChatMessage[];
  /** Messages it did not hold before (all of them when its history is not loaded yet). */
  added: ChatMessage[];
  /** Of those, the ones newer than anything known in the room: what can be unread. */
  fresh: ChatMessage[];
  /** The newest message known in the room afterwards. */
  latest: ChatMessage | null;
}

export function arrivalIn(timeline: Timeline | undefined, incoming: ChatMessage[]): Arrival {
  const room = timeline ?? NO_TIMELINE;
  // A room whose first page is not asked for yet keeps only its preview: storing a few live
  // messages would leave a gap between them and the page loaded later.
  const keep = room.load === 'loading' || room.load === 'ready';
  const { messages, added } = keep
    ? mergeMessages(room.messages, incoming)
    : { messages: room.messages, added: incoming };
  const newest = added.reduce<ChatMessage | null>(
    (latest, message) => newer(latest, message),
    null,
  );
  const fresh = added.filter(
    (message) => !room.latest || compareMessageIds(message.id, room.latest.id) > 0,
  );
  return { messages, added, fresh, latest: newer(room.latest, newest) };
}

/**
 * The server's copy of one of our own messages can arrive (as a live event or in a catch-up)
 * before the ack: it then confirms the oldest outgoing message with the same text, so it is
 * never shown twice. A failed one counts too: a timeout does not mean the server never got it.
 */
function settleOutbox(room: Timeline, mine: ChatMessage[]): OutgoingMessage[] {
  if (mine.length === 0 || room.outbox.length === 0) return room.outbox;
  const outbox = [...room.outbox];
  for (const message of mine) {
    const index = outbox.findIndex((out) => out.text === message.message);
    if (index >= 0) outbox.splice(index, 1);
  }
  return outbox;
}

function updateTimeline(
  slice: TimelinesState,
  roomId: string,
  change: (timeline: Timeline) => Timeline,
): TimelinesState {
  const timeline = slice[roomId];
  if (!timeline) return slice;
  const next = change(timeline);
  return next === timeline ? slice : { ...slice, [roomId]: next };
}

function updateOutgoing(
  slice: TimelinesState,
  roomId: string,
  localId: string,
  change: (message: OutgoingMessage) => OutgoingMessage | null,
): TimelinesState {
  return updateTimeline(slice, roomId, (timeline) => {
    const outbox: OutgoingMessage[] = [];
    let changed = false;
    for (const message of timeline.outbox) {
      if (message.localId !== localId) {
        outbox.push(message);
        continue;
      }
      changed = true;
      const next = change(message);
      if (next) outbox.push(next);
    }
    return changed ? { ...timeline, outbox } : timeline;
  });
}

function receive(slice: TimelinesState, messages: ChatMessage[], meId: string): TimelinesState {
  let next = slice;
  for (const [roomId, incoming] of messagesByRoom(messages)) {
    const known = next[roomId];
    // A room we only know from this message gets a timeline like any other.
    const timeline = known ?? newTimeline();
    const arrival = arrivalIn(timeline, incoming);
    const outbox = settleOutbox(
      timeline,
      arrival.added.filter((message) => message.from === meId),
    );
    if (
      known &&
      arrival.messages === timeline.messages &&
      outbox === timeline.outbox &&
      arrival.latest === timeline.latest
    ) {
      continue;
    }
    next = {
      ...next,
      [roomId]: { ...timeline, messages: arrival.messages, outbox, latest: arrival.latest },
    };
  }
  return next;
}

export function timelinesReducer(
  slice: TimelinesState,
  action: ChatEvent | MessagesAction,
  root: WithSession & WithUsers,
): TimelinesState {
  const meId = root.session.me.id;
  switch (action.type) {
    case 'messages.arrived':
      return receive(slice, action.messages, meId);
    case 'rooms.listed': {
      let next = slice;
      for (const summary of action.rooms) {
        const known = next[summary.id];
        const latest = newer(known?.latest ?? null, summary.lastMessage ?? null);
        if (known && latest === known.latest) continue;
        next = { ...next, [summary.id]: known ? { ...known, latest } : newTimeline(latest) };
      }
      return next;
    }
    case 'room.added':
      return slice[action.room.id]
        ? slice
        : { ...slice, [action.room.id]: newTimeline(action.room.lastMessage ?? null) };
    case 'room.left': {
      if (!slice[action.roomId] || action.roomId === GENERAL_ROOM_ID) return slice;
      const { [action.roomId]: _left, ...rest } = slice;
      return rest;
    }
    case 'presence.changed': {
      const { user } = action;
      if (!isPresenceChange(root, user)) return slice;
      return updateTimeline(slice, GENERAL_ROOM_ID, (timeline) => {
        const notice: Notice = {
          id: action.noticeId,
          text: `${user.username} ${user.online ? 'connected' : 'left'}`,
          date: Date.now() / 1000,
          afterId: timeline.messages.at(-1)?.id ?? null,
        };
        return { ...timeline, notices: [...timeline.notices, notice].slice(-NOTICES_KEPT) };
      });
    }
    case 'page.started':
      return updateTimeline(slice, action.roomId, (timeline) =>
        action.older
          ? { ...timeline, loadingOlder: true }
          : {
              ...timeline,
              load: timeline.load === 'ready' ? 'ready' : 'loading',
              loadError: null,
            },
      );
    case 'page.loaded':
      return updateTimeline(slice, action.roomId, (timeline) => {
        const { messages } = mergeMessages(timeline.messages, action.messages);
        const newest = action.messages[0] ?? null;
        const hasOlder = action.focus
          ? timeline.hasOlder
          : action.older || timeline.load !== 'ready'
            ? action.messages.length >= action.size
            : timeline.hasOlder;
        return {
          ...timeline,
          messages,
          outbox: settleOutbox(
            timeline,
            action.messages.filter(
              (message) =>
                message.from === meId &&
                !timeline.messages.some((known) => known.id === message.id),
            ),
          ),
          load: 'ready',
          loadError: null,
          hasOlder,
          loadingOlder: action.older ? false : timeline.loadingOlder,
          latest: newer(timeline.latest, newest),
          focus: action.focus ?? timeline.focus,
        };
      });
    case 'message.focused':
      return updateTimeline(slice, action.roomId, (timeline) =>
        timeline.focus === action.messageId ? timeline : { ...timeline, focus: action.messageId },
      );
    case 'page.failed':
      return updateTimeline(slice, action.roomId, (timeline) =>
        action.older
          ? { ...timeline, loadingOlder: false }
          : {
              ...timeline,
              load: timeline.load === 'ready' ? 'ready' : 'error',
              loadError: action.error,
            },
      );
    case 'message.updated':
      return updateTimeline(slice, action.message.roomId, (timeline) => {
        const loaded = timeline.messages.some((message) => message.id === action.message.id);
        const isLatest = timeline.latest?.id === action.message.id;
        if (!loaded && !isLatest) return timeline;
        // An unloaded message stays unloaded (no gap in the history); the preview still changes.
        const messages = loaded
          ? mergeMessages(timeline.messages, [action.message]).messages
          : timeline.messages;
        return { ...timeline, messages, latest: isLatest ? action.message : timeline.latest };
      });
    case 'outbox.added':
      return updateTimeline(slice, action.message.roomId, (timeline) => ({
        ...timeline,
        outbox: [...timeline.outbox, action.message],
      }));
    case 'outbox.confirmed':
    case 'outbox.discarded':
      return updateOutgoing(slice, action.roomId, action.localId, () => null);
    case 'outbox.failed':
      return updateOutgoing(slice, action.roomId, action.localId, (message) => ({
        ...message,
        status: 'failed',
        error: action.error,
      }));
    case 'outbox.retried':
      return updateOutgoing(slice, action.roomId, action.localId, (message) => {
        const { error: _error, ...rest } = message;
        return { ...rest, status: 'pending' };
      });
    default:
      return slice;
  }
}

export const selectTimeline = (state: WithTimelines, roomId: string): Timeline =>
  state.timelines[roomId] ?? NO_TIMELINE;

export const selectLatest = (state: WithTimelines, roomId: string): ChatMessage | null =>
  state.timelines[roomId]?.latest ?? null;
