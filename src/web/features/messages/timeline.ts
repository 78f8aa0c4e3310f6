/**
 * Turns a room's messages into what the list shows: day separators, and runs of messages from one
 * sender ("groups") that share one avatar, name and time, like every chat app people know.
 */
import type { ChatMessage } from '../../../protocol/index.js';
import { dayKey, formatDayLabel } from '../../core/lib/format.js';
import { mentionsUser } from '../mentions/index.js';
import type { Notice, OutgoingMessage } from './timelines-slice.js';

/** A new group starts when the same sender pauses longer than this. */
export const GROUP_GAP_S = 5 * 60;

export type MessageStatus = 'sent' | 'pending' | 'failed';

/** One bubble: a confirmed message or one of ours on its way. */
export interface MessageView {
  key: string;
  roomId: string;
  from: string;
  date: number;
  text: string;
  status: MessageStatus;
  edited: boolean;
  deleted: boolean;
  /** The server's id (confirmed messages only): what edits and deletes refer to. */
  id?: string;
  /** The message names the reader with `@`. */
  mentionsMe: boolean;
  /** Why sending failed. */
  error?: string;
  /** For pending and failed messages: what retry and discard refer to. */
  localId?: string;
}

export type TimelineBlock =
  | { kind: 'day'; key: string; label: string }
  | { kind: 'notice'; key: string; text: string }
  | {
      kind: 'group';
      key: string;
      from: string;
      own: boolean;
      date: number;
      messages: MessageView[];
    };

export function viewOfMessage(message: ChatMessage, meId = ''): MessageView {
  return {
    key: message.id,
    roomId: message.roomId,
    from: message.from,
    date: message.date,
    text: message.message,
    status: 'sent',
    edited: message.edited === true,
    deleted: message.deleted === true,
    id: message.id,
    mentionsMe: meId !== '' && message.from !== meId && mentionsUser(message, meId),
  };
}

export function viewOfOutgoing(message: OutgoingMessage, meId: string): MessageView {
  const view: MessageView = {
    key: message.localId,
    roomId: message.roomId,
    from: meId,
    date: message.date,
    text: message.text,
    status: message.status,
    edited: false,
    deleted: false,
    mentionsMe: false,
    localId: message.localId,
  };
  if (message.error) view.error = message.error;
  return view;
}

export function buildTimeline(
  messages: readonly ChatMessage[],
  outbox: readonly OutgoingMessage[],
  notices: readonly Notice[],
  meId: string,
  now = new Date(),
): TimelineBlock[] {
  const noticesAfter = new Map<string | null, Notice[]>();
  for (const notice of notices) {
    // A notice whose message is not loaded (or gone) goes at the end rather than vanishing.
    const anchor =
      notice.afterId === null || messages.some((message) => message.id === notice.afterId)
        ? notice.afterId
        : (messages.at(-1)?.id ?? null);
    noticesAfter.set(anchor, [...(noticesAfter.get(anchor) ?? []), notice]);
  }

  const blocks: TimelineBlock[] = [];
  let currentDay: string | null = null;
  let group: Extract<TimelineBlock, { kind: 'group' }> | null = null;

  const addNotices = (anchor: string | null) => {
    for (const notice of noticesAfter.get(anchor) ?? []) {
      blocks.push({ kind: 'notice', key: notice.id, text: notice.text });
      group = null;
    }
  };

  const add = (view: MessageView) => {
    const day = dayKey(view.date);
    if (day !== currentDay) {
      currentDay = day;
      blocks.push({ kind: 'day', key: `day-${day}`, label: formatDayLabel(view.date, now) });
      group = null;
    }
    const previous = group?.messages.at(-1);
    if (group && group.from === view.from && previous && view.date - previous.date <= GROUP_GAP_S) {
      group.messages.push(view);
      return;
    }
    group = {
      kind: 'group',
      key: `group-${view.key}`,
      from: view.from,
      own: view.from === meId,
      date: view.date,
      messages: [view],
    };
    blocks.push(group);
  };

  addNotices(null);
  for (const message of messages) {
    add(viewOfMessage(message, meId));
    addNotices(message.id);
  }
  for (const message of outbox) add(viewOfOutgoing(message, meId));
  return blocks;
}
