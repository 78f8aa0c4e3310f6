/**
 * Under a thread's first message: "3 replies · last at 12:30", marked while it has replies the
 * reader has not read; pressing it opens the thread.
 */
import { countOf, dateOfSeconds, formatFullDate, formatTime } from '../../core/lib/format.js';
import { useThreadsActions } from './threads-context.js';
import { useThreadSize, useThreadUnread } from './threads-slice.js';

export interface ThreadSummaryProps {
  roomId: string;
  messageId: string;
}

export function ThreadSummary({ roomId, messageId }: ThreadSummaryProps) {
  const size = useThreadSize(roomId, messageId);
  const unread = useThreadUnread(roomId, messageId);
  const actions = useThreadsActions();
  if (!size) return null;
  return (
    <button
      type="button"
      className={`thread-summary${unread ? ' thread-summary--unread' : ''}`}
      onClick={() => actions.open(roomId, messageId)}
    >
      {unread && <span className="thread-summary__dot" aria-hidden="true" />}
      <span className="thread-summary__count">{countOf(size.replyCount, 'reply', 'replies')}</span>
      {unread && <span className="visually-hidden">, unread</span>}
      <span className="thread-summary__last">
        {' · last at '}
        <time
          dateTime={dateOfSeconds(size.lastReplyAt).toISOString()}
          title={formatFullDate(size.lastReplyAt)}
        >
          {formatTime(size.lastReplyAt)}
        </time>
      </span>
    </button>
  );
}
