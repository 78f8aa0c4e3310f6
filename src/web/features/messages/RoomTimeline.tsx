/** The open room's timeline, from the store: its messages, our sends, and how far it is loaded. */
import { useCallback, useMemo } from 'react';
import { useSelector } from '../../core/store/index.js';
import { useMe } from '../auth/index.js';
import { useMessagesActions } from './messages-context.js';
import type { MessageEditing } from './MessageGroup.js';
import { MessageList } from './MessageList.js';
import { buildTimeline } from './timeline.js';
import { selectTimeline, type WithTimelines } from './timelines-slice.js';

export interface RoomTimelineProps {
  roomId: string;
  title: string;
  withPerson: boolean;
  onOpenPrivate: (userId: string) => void;
  /** "Try again" after the history could not be loaded. */
  onReload: () => void;
  /** The newest message is in view. */
  onSeenBottom?: () => void;
  editing?: MessageEditing;
}

export function RoomTimeline({
  roomId,
  title,
  withPerson,
  onOpenPrivate,
  onReload,
  onSeenBottom,
  editing,
}: RoomTimelineProps) {
  const actions = useMessagesActions();
  const me = useMe();
  const timeline = useSelector((state: WithTimelines) => selectTimeline(state, roomId));
  const { messages, outbox, notices } = timeline;
  const blocks = useMemo(
    () => buildTimeline(messages, outbox, notices, me.id),
    [messages, outbox, notices, me.id],
  );
  const loadOlder = useCallback(() => actions.loadOlder(roomId), [actions, roomId]);
  const retry = useCallback((localId: string) => actions.retry(roomId, localId), [actions, roomId]);
  const focusShown = useCallback(() => actions.focusShown(roomId), [actions, roomId]);
  const discard = useCallback(
    (localId: string) => actions.discard(roomId, localId),
    [actions, roomId],
  );
  return (
    <MessageList
      title={title}
      withPerson={withPerson}
      blocks={blocks}
      load={timeline.load}
      loadError={timeline.loadError}
      hasOlder={timeline.hasOlder}
      loadingOlder={timeline.loadingOlder}
      onLoadOlder={loadOlder}
      onReload={onReload}
      onOpenPrivate={onOpenPrivate}
      onRetry={retry}
      onDiscard={discard}
      onSeenBottom={onSeenBottom}
      editing={editing}
      focus={timeline.focus}
      onFocusShown={focusShown}
    />
  );
}
