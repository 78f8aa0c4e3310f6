/**
 * The open thread, beside the room (on a phone, over it): the first message, its replies oldest
 * first, and a box to reply in the thread. Replies are the room's messages, drawn as the timeline
 * draws them; Escape or the close button closes it.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { FormEvent, KeyboardEvent } from 'react';
import { MESSAGE_MAX_LENGTH } from '../../../protocol/index.js';
import { countOf } from '../../core/lib/format.js';
import { CloseIcon, IconButton, SendIcon } from '../../core/ui/index.js';
import { useMe } from '../auth/index.js';
import { MessageExtrasProvider, MessageGroup, buildTimeline } from '../messages/index.js';
import { useThreadsActions } from './threads-context.js';
import { useOpenThread, type OpenThread } from './threads-slice.js';

export const THREAD_INPUT_ID = 'thread-reply-input';
/** Parts other features add to messages are for the room's timeline, not the panel. */
const NO_EXTRAS = {};
const ignore = () => undefined;

export interface ThreadPanelProps {
  onOpenPrivate: (userId: string) => void;
}

export function ThreadPanel({ onOpenPrivate }: ThreadPanelProps) {
  const open = useOpenThread();
  const actions = useThreadsActions();
  if (!open) return null;
  return (
    <aside
      className="thread-panel"
      aria-label="Thread"
      onKeyDown={(event) => {
        if (event.key === 'Escape') actions.close();
      }}
    >
      <header className="thread-panel__header">
        <h2 className="thread-panel__title">Thread</h2>
        <IconButton label="Close thread" onClick={() => actions.close()}>
          <CloseIcon />
        </IconButton>
      </header>
      <ThreadMessages thread={open} onOpenPrivate={onOpenPrivate} />
      <ThreadComposer
        key={`${open.roomId}/${open.messageId}`}
        onSend={(text) => actions.reply(open.roomId, open.messageId, text)}
      />
    </aside>
  );
}

function ThreadMessages({
  thread,
  onOpenPrivate,
}: {
  thread: OpenThread;
  onOpenPrivate: (userId: string) => void;
}) {
  const me = useMe();
  const actions = useThreadsActions();
  const scroller = useRef<HTMLDivElement>(null);
  const head = useMemo(
    () => buildTimeline(thread.parent ? [thread.parent] : [], [], [], me.id),
    [thread.parent, me.id],
  );
  const replies = useMemo(
    () => buildTimeline(thread.replies, [], [], me.id),
    [thread.replies, me.id],
  );
  // A new reply comes into view.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [thread.replies.length]);
  const draw = (blocks: typeof head) =>
    blocks.map((block) =>
      block.kind === 'group' ? (
        <MessageGroup
          key={block.key}
          group={block}
          onOpenPrivate={onOpenPrivate}
          onRetry={ignore}
          onDiscard={ignore}
        />
      ) : block.kind === 'day' ? (
        <p key={block.key} className="timeline__day">
          <span>{block.label}</span>
        </p>
      ) : null,
    );
  return (
    <MessageExtrasProvider value={NO_EXTRAS}>
      <div
        ref={scroller}
        className="thread-panel__scroller"
        role="log"
        aria-label="Replies in the thread"
        tabIndex={0}
      >
        {draw(head)}
        <p className="thread-panel__count">
          {thread.load === 'ready' && countOf(thread.replies.length, 'reply', 'replies')}
        </p>
        {thread.hasOlder && (
          <button type="button" className="timeline__older" onClick={() => actions.loadOlder()}>
            Load older replies
          </button>
        )}
        {thread.load === 'loading' && (
          <p className="timeline__status" role="status">
            Loading the thread…
          </p>
        )}
        {thread.load === 'error' && (
          <p className="timeline__status" role="alert">
            The thread could not be loaded. {thread.error}
          </p>
        )}
        {draw(replies)}
      </div>
    </MessageExtrasProvider>
  );
}

/** The box under the thread: Enter sends, Shift+Enter starts a new line. */
function ThreadComposer({ onSend }: { onSend: (text: string) => void }) {
  const [text, setText] = useState('');
  const box = useRef<HTMLTextAreaElement>(null);
  useEffect(() => box.current?.focus(), []);
  const tooLong = text.length > MESSAGE_MAX_LENGTH;
  const send = () => {
    if (!text.trim() || tooLong) return;
    onSend(text);
    setText('');
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    send();
  };
  const handleKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };
  return (
    <form className="composer thread-panel__composer" onSubmit={submit}>
      <label className="visually-hidden" htmlFor={THREAD_INPUT_ID}>
        Reply in thread
      </label>
      <textarea
        ref={box}
        id={THREAD_INPUT_ID}
        className="composer__input"
        dir="auto"
        rows={1}
        placeholder="Reply in thread"
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={handleKeyDown}
        aria-invalid={tooLong}
      />
      <button
        type="submit"
        className="composer__send"
        aria-label="Send reply"
        title="Send reply"
        disabled={!text.trim() || tooLong}
      >
        <SendIcon />
      </button>
    </form>
  );
}
