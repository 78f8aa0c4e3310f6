/**
 * Above a reply in the room's timeline: a quote of the message it answers (fetched when the
 * timeline has not loaded it). Pressing it shows that message in the timeline, its older history
 * loaded as needed.
 */
import { useEffect } from 'react';
import type { ChatMessage } from '../../../protocol/index.js';
import { useSelector } from '../../core/store/index.js';
import { useUser } from '../presence/index.js';
import type { WithTimelines } from '../messages/index.js';
import { useThreadsActions } from './threads-context.js';
import { threadKey, type WithThreads } from './threads-slice.js';

const QUOTE_LENGTH = 120;

const findIn = (state: WithTimelines, roomId: string, id: string) =>
  state.timelines[roomId]?.messages.find((message) => message.id === id) ?? null;

export interface ReplyQuoteProps {
  roomId: string;
  messageId: string;
}

export function ReplyQuote({ roomId, messageId }: ReplyQuoteProps) {
  const replyTo = useSelector(
    (state: WithTimelines) => findIn(state, roomId, messageId)?.replyTo ?? null,
  );
  return replyTo ? <Quote roomId={roomId} parentId={replyTo} /> : null;
}

function Quote({ roomId, parentId }: { roomId: string; parentId: string }) {
  const actions = useThreadsActions();
  const parent = useSelector(
    (state: WithTimelines & WithThreads): ChatMessage | null =>
      findIn(state, roomId, parentId) ?? state.threads.parents[threadKey(roomId, parentId)] ?? null,
  );
  const author = useUser(parent?.from);
  useEffect(() => {
    if (!parent) actions.ensureParent(roomId, parentId);
  }, [actions, parent, roomId, parentId]);
  const text = !parent
    ? 'a message'
    : parent.deleted
      ? 'Message deleted'
      : parent.message.length > QUOTE_LENGTH
        ? `${parent.message.slice(0, QUOTE_LENGTH)}…`
        : parent.message;
  const name = author?.username;
  return (
    <button
      type="button"
      className="reply-quote"
      onClick={() => actions.showOriginal(roomId, parentId)}
    >
      {/* One sentence for a screen reader; the same words, styled, for the eye. */}
      <span className="visually-hidden">
        Reply to {name ? `${name}: ` : ''}
        {text}
      </span>
      <span aria-hidden="true">
        {name && <bdi className="reply-quote__author">{name} </bdi>}
        <span className="reply-quote__text" dir="auto">
          {text}
        </span>
      </span>
    </button>
  );
}
