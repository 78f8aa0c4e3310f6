/**
 * The scrolling timeline of one room. It follows new messages only while the reader is at the
 * bottom (otherwise a "new messages" button appears), loads older pages when scrolled near the
 * top, and keeps the visible messages in place when a page is added above them.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { ArrowDownIcon } from '../../core/ui/index.js';
import { MessageGroup, type MessageEditing } from './MessageGroup.js';
import type { TimelineBlock } from './timeline.js';
import type { RoomLoad } from './timelines-slice.js';

/** Closer than this to the bottom counts as "at the bottom" (px). */
const BOTTOM_SLACK_PX = 48;
/** Closer than this to the top starts loading the previous page (px). */
const LOAD_OLDER_AT_PX = 200;

export interface MessageListProps {
  title: string;
  /** A private room: its beginning is a conversation with `title`, not a room called so. */
  withPerson?: boolean;
  blocks: TimelineBlock[];
  load: RoomLoad;
  loadError: string | null;
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  onReload: () => void;
  onOpenPrivate: (userId: string) => void;
  onRetry: (localId: string) => void;
  onDiscard: (localId: string) => void;
  /** The newest message is in view. */
  onSeenBottom?: () => void;
  /** Editing and deleting the reader's own messages. */
  editing?: MessageEditing;
  /** A message to scroll to and highlight once it is shown. */
  focus?: string | null;
  /** The focused message has been scrolled to. */
  onFocusShown?: () => void;
}

function edgeKeys(blocks: TimelineBlock[]) {
  let first: string | null = null;
  let last: string | null = null;
  let lastOwnPending = false;
  for (const block of blocks) {
    if (block.kind !== 'group') continue;
    first ??= block.messages[0]?.key ?? null;
    const lastView = block.messages.at(-1);
    last = lastView?.key ?? last;
    lastOwnPending = block.own && lastView?.status !== 'sent';
  }
  return { first, last, lastOwnPending };
}

export function MessageList({
  title,
  withPerson = false,
  blocks,
  load,
  loadError,
  hasOlder,
  loadingOlder,
  onLoadOlder,
  onReload,
  onOpenPrivate,
  onRetry,
  onDiscard,
  onSeenBottom,
  editing,
  focus = null,
  onFocusShown,
}: MessageListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  /** Scroll height and position after the last render or scroll, to restore after a prepend. */
  const lastLayout = useRef({ height: 0, top: 0 });
  const { first, last, lastOwnPending } = edgeKeys(blocks);
  const previousEdges = useRef<{ first: string | null; last: string | null }>({
    first: null,
    last: null,
  });
  const [newBelow, setNewBelow] = useState(false);
  const canLoadOlder = load === 'ready' && hasOlder && !loadingOlder;

  const seenBottom = useRef(onSeenBottom);
  useEffect(() => {
    seenBottom.current = onSeenBottom;
  }, [onSeenBottom]);

  const remember = (element: HTMLDivElement) => {
    lastLayout.current = { height: element.scrollHeight, top: element.scrollTop };
  };

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const previous = previousEdges.current;
    const prepended = previous.first !== null && first !== previous.first;
    const appended = last !== previous.last;
    if (prepended) {
      // Keep the messages that were on screen exactly where they were.
      element.scrollTop =
        lastLayout.current.top + (element.scrollHeight - lastLayout.current.height);
    }
    if (appended && !atBottom.current && !lastOwnPending && previous.last !== null) {
      setNewBelow(true);
    }
    if (atBottom.current || (appended && lastOwnPending)) {
      element.scrollTop = element.scrollHeight;
      atBottom.current = true;
      seenBottom.current?.();
    }
    previousEdges.current = { first, last };
    remember(element);
  }, [blocks, first, last, lastOwnPending]);

  // After the layout above: bring the focused message to the middle, marked for a moment, and
  // move the keyboard focus to it so a screen reader reads it.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element || !focus) return;
    const target = element.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(focus)}"]`);
    if (!target) return;
    atBottom.current = false;
    target.scrollIntoView({ block: 'center' });
    target.tabIndex = -1;
    target.focus({ preventScroll: true });
    target.removeAttribute('data-found');
    // Restarting the highlight's animation needs a style flush between removing and adding it.
    void target.offsetWidth;
    target.setAttribute('data-found', '');
    remember(element);
    onFocusShown?.();
  }, [blocks, focus, onFocusShown]);

  // A first page shorter than the screen cannot be scrolled up: load the next one at once.
  useEffect(() => {
    const element = scroller.current;
    if (
      element &&
      canLoadOlder &&
      element.clientHeight > 0 &&
      element.scrollHeight <= element.clientHeight
    ) {
      onLoadOlder();
    }
  }, [blocks, canLoadOlder, onLoadOlder]);

  // Stay at the bottom when the view itself changes size (keyboard, composer growing, rotation).
  useEffect(() => {
    const element = scroller.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (atBottom.current) element.scrollTop = element.scrollHeight;
      remember(element);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const handleScroll = () => {
    const element = scroller.current;
    if (!element) return;
    const distance = element.scrollHeight - element.scrollTop - element.clientHeight;
    const bottom = distance <= BOTTOM_SLACK_PX;
    if (bottom && !atBottom.current) seenBottom.current?.();
    atBottom.current = bottom;
    if (bottom) setNewBelow(false);
    remember(element);
    if (element.scrollTop < LOAD_OLDER_AT_PX && canLoadOlder) onLoadOlder();
  };

  const jumpToBottom = useCallback(() => {
    const element = scroller.current;
    if (!element) return;
    element.scrollTo({ top: element.scrollHeight, behavior: 'smooth' });
    setNewBelow(false);
  }, []);

  const empty = !blocks.some((block) => block.kind === 'group');

  return (
    <div className="timeline">
      <div
        ref={scroller}
        className="timeline__scroller"
        role="log"
        aria-label={`Messages in ${title}`}
        tabIndex={0}
        onScroll={handleScroll}
      >
        <div className="timeline__content">
          {load === 'ready' && hasOlder && (
            <button
              type="button"
              className="timeline__older"
              onClick={onLoadOlder}
              disabled={loadingOlder}
            >
              {loadingOlder ? 'Loading older messages…' : 'Load older messages'}
            </button>
          )}
          {load === 'ready' && !hasOlder && !empty && (
            <p className="timeline__start">
              This is the beginning of {withPerson && 'your conversation with '}
              <bdi>{title}</bdi>.
            </p>
          )}
          {(load === 'loading' || load === 'idle') && empty && (
            <p className="timeline__status" role="status">
              Loading messages…
            </p>
          )}
          {load === 'error' && (
            <div className="timeline__status" role="alert">
              <p>Messages could not be loaded. {loadError}</p>
              <button type="button" className="button" onClick={onReload}>
                Try again
              </button>
            </div>
          )}
          {load === 'ready' && empty && (
            <p className="timeline__status">No messages yet. Say hello!</p>
          )}
          {blocks.map((block) => {
            switch (block.kind) {
              case 'day':
                return (
                  <h2 key={block.key} className="timeline__day">
                    <span>{block.label}</span>
                  </h2>
                );
              case 'notice':
                return (
                  <p key={block.key} className="timeline__notice">
                    {block.text}
                  </p>
                );
              case 'group':
                return (
                  <MessageGroup
                    key={block.key}
                    group={block}
                    onOpenPrivate={onOpenPrivate}
                    onRetry={onRetry}
                    onDiscard={onDiscard}
                    editing={editing}
                  />
                );
            }
          })}
        </div>
      </div>
      {newBelow && (
        <button type="button" className="timeline__jump" onClick={jumpToBottom}>
          <ArrowDownIcon width={16} height={16} />
          New messages
        </button>
      )}
    </div>
  );
}
