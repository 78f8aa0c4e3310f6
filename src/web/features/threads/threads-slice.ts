/**
 * Threads as the client knows them: each thread's size and newest reply (from history pages and
 * `message.thread`), the thread open in the side panel with its replies, the first messages that
 * replies quote, and how far the reader has read each room and thread, to mark unread threads.
 * Replies are messages of the room too: the timeline shows them, and reading the room to its
 * newest message reads them.
 */
import type { ChatMessage, ThreadPage, ThreadSummary } from '../../../protocol/index.js';
import type { ChatEvent } from '../../core/events.js';
import { compareMessageIds, mergeMessages } from '../../core/lib/message-order.js';
import { useSelector } from '../../core/store/index.js';
import type { WithSession } from '../auth/index.js';
import type { MessagesAction } from '../messages/index.js';
import type { ReadsAction } from '../reads/index.js';

export type ThreadLoad = 'loading' | 'ready' | 'error';

/** The thread in the side panel. */
export interface OpenThread {
  roomId: string;
  messageId: string;
  parent: ChatMessage | null;
  /** Oldest first. */
  replies: ChatMessage[];
  load: ThreadLoad;
  error: string | null;
  hasOlder: boolean;
}

export type ThreadSize = Pick<ThreadSummary, 'replyCount' | 'lastReplyId' | 'lastReplyAt'>;

export interface ThreadsState {
  /** `{roomId}/{messageId}` -> the thread's size and newest reply. */
  summaries: Record<string, ThreadSize>;
  open: OpenThread | null;
  /** `{roomId}/{messageId}` -> a first message a reply quotes that its timeline has not loaded. */
  parents: Record<string, ChatMessage>;
  /** Room id -> the newest message the reader has read there (their read marker, as told). */
  readUpTo: Record<string, string>;
  /** `{roomId}/{messageId}` -> the newest reply the reader saw in the panel. */
  seen: Record<string, string>;
}

export interface WithThreads {
  threads: ThreadsState;
}

export type ThreadsAction =
  | { type: 'threads.summarized'; list: ThreadSummary[] }
  | { type: 'thread.opened'; roomId: string; messageId: string }
  | { type: 'thread.loaded'; roomId: string; messageId: string; page: ThreadPage; older: boolean }
  | { type: 'thread.failed'; roomId: string; messageId: string; error: string }
  | { type: 'thread.closed' }
  | { type: 'parent.found'; message: ChatMessage };

export const threadKey = (roomId: string, messageId: string) => `${roomId}/${messageId}`;

export const initialThreadsState = (): ThreadsState => ({
  summaries: {},
  open: null,
  parents: {},
  readUpTo: {},
  seen: {},
});

const later = (known: string | undefined, id: string) =>
  known === undefined || compareMessageIds(id, known) > 0;

function summarize(slice: ThreadsState, list: readonly ThreadSummary[]): ThreadsState {
  let summaries = slice.summaries;
  for (const { roomId, messageId, replyCount, lastReplyId, lastReplyAt } of list) {
    const key = threadKey(roomId, messageId);
    const known = summaries[key];
    // A late answer never takes a thread back to fewer replies.
    if (known && (known.replyCount > replyCount || known.lastReplyId === lastReplyId)) continue;
    if (summaries === slice.summaries) summaries = { ...summaries };
    summaries[key] = { replyCount, lastReplyId, lastReplyAt };
  }
  return summaries === slice.summaries ? slice : { ...slice, summaries };
}

/** The summaries history carries on each thread's first message. */
const summariesIn = (messages: readonly ChatMessage[]): ThreadSummary[] =>
  messages.flatMap(({ roomId, id, replyCount, lastReplyId, lastReplyAt }) =>
    replyCount && lastReplyId && lastReplyAt !== undefined
      ? [{ roomId, messageId: id, replyCount, lastReplyId, lastReplyAt }]
      : [],
  );

function readTo(slice: ThreadsState, roomId: string, messageId: string): ThreadsState {
  if (!later(slice.readUpTo[roomId], messageId)) return slice;
  return { ...slice, readUpTo: { ...slice.readUpTo, [roomId]: messageId } };
}

/** The open thread sees the newest of its replies. */
function seeOpen(slice: ThreadsState): ThreadsState {
  const { open } = slice;
  const newest = open?.replies.at(-1);
  if (!open || !newest) return slice;
  const key = threadKey(open.roomId, open.messageId);
  if (!later(slice.seen[key], newest.id)) return slice;
  return { ...slice, seen: { ...slice.seen, [key]: newest.id } };
}

/** Messages that belong to the open thread (new replies, or its first message edited). */
function intoOpen(slice: ThreadsState, messages: readonly ChatMessage[]): ThreadsState {
  const { open } = slice;
  if (!open) return slice;
  const replies = messages.filter((m) => m.roomId === open.roomId && m.replyTo === open.messageId);
  const parent =
    messages.find((m) => m.roomId === open.roomId && m.id === open.messageId) ?? open.parent;
  if (replies.length === 0 && parent === open.parent) return slice;
  const merged = mergeMessages(open.replies, replies).messages;
  // An edit or delete of the first message keeps its thread's size (never sent with the edit).
  const kept = parent && open.parent ? { ...open.parent, ...parent } : parent;
  return seeOpen({ ...slice, open: { ...open, replies: merged, parent: kept } });
}

export function threadsReducer(
  slice: ThreadsState,
  action: ThreadsAction | ChatEvent | MessagesAction | ReadsAction,
  root: WithSession,
): ThreadsState {
  switch (action.type) {
    case 'threads.summarized':
      return summarize(slice, action.list);
    case 'page.loaded':
      return summarize(slice, summariesIn(action.messages));
    case 'messages.arrived': {
      let next = intoOpen(summarize(slice, summariesIn(action.messages)), action.messages);
      // Writing in a room means having read it (the server moved the marker too).
      for (const message of action.messages) {
        if (message.from === root.session.me.id) next = readTo(next, message.roomId, message.id);
      }
      return next;
    }
    case 'message.updated':
      return intoOpen(slice, [action.message]);
    case 'rooms.listed': {
      let next = slice;
      for (const room of action.rooms) {
        if (room.lastReadId) next = readTo(next, room.id, room.lastReadId);
      }
      return next;
    }
    case 'room.read':
      return readTo(slice, action.marker.roomId, action.marker.lastReadId);
    case 'thread.opened':
      return {
        ...slice,
        open: {
          roomId: action.roomId,
          messageId: action.messageId,
          parent: slice.parents[threadKey(action.roomId, action.messageId)] ?? null,
          replies: [],
          load: 'loading',
          error: null,
          hasOlder: false,
        },
      };
    case 'thread.loaded': {
      const { open } = slice;
      if (!open || open.roomId !== action.roomId || open.messageId !== action.messageId) {
        return slice;
      }
      const { parent, replies, hasOlder } = action.page;
      const next: ThreadsState = {
        ...slice,
        open: {
          ...open,
          parent: parent ?? open.parent,
          replies: mergeMessages(open.replies, replies).messages,
          load: 'ready',
          error: null,
          hasOlder: action.older || open.load !== 'ready' ? hasOlder : open.hasOlder,
        },
      };
      return seeOpen(summarize(next, parent ? summariesIn([parent]) : []));
    }
    case 'thread.failed': {
      const { open } = slice;
      if (!open || open.roomId !== action.roomId || open.messageId !== action.messageId) {
        return slice;
      }
      return { ...slice, open: { ...open, load: 'error', error: action.error } };
    }
    case 'thread.closed':
      return slice.open ? { ...slice, open: null } : slice;
    case 'parent.found': {
      const key = threadKey(action.message.roomId, action.message.id);
      return { ...slice, parents: { ...slice.parents, [key]: action.message } };
    }
    case 'room.left':
      return slice.open?.roomId === action.roomId ? { ...slice, open: null } : slice;
    default:
      return slice;
  }
}

export const selectThreadSize = (state: WithThreads, roomId: string, messageId: string) =>
  state.threads.summaries[threadKey(roomId, messageId)] ?? null;

/** A thread has a reply newer than both the reader's marker in its room and what they saw of it. */
export function selectThreadUnread(state: WithThreads, roomId: string, messageId: string): boolean {
  const key = threadKey(roomId, messageId);
  const size = state.threads.summaries[key];
  if (!size) return false;
  const { readUpTo, seen } = state.threads;
  return later(readUpTo[roomId], size.lastReplyId) && later(seen[key], size.lastReplyId);
}

export const selectOpenThread = (state: WithThreads) => state.threads.open;

export const useThreadSize = (roomId: string, messageId: string) =>
  useSelector((state: WithThreads) => selectThreadSize(state, roomId, messageId));
export const useThreadUnread = (roomId: string, messageId: string) =>
  useSelector((state: WithThreads) => selectThreadUnread(state, roomId, messageId));
export const useOpenThread = () => useSelector(selectOpenThread);
