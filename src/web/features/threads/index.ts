/**
 * Replies and threads: the Reply action, a quote above each reply in the timeline, each thread's
 * size under its first message (marked while unread), and the side panel with the replies.
 */
export { ReplyButton, type ReplyButtonProps } from './ReplyButton.js';
export { ReplyQuote, type ReplyQuoteProps } from './ReplyQuote.js';
export { THREAD_INPUT_ID, ThreadPanel, type ThreadPanelProps } from './ThreadPanel.js';
export { ThreadSummary, type ThreadSummaryProps } from './ThreadSummary.js';
export { ThreadsActionsProvider, useThreadsActions } from './threads-context.js';
export { ThreadsEffects, type ThreadsStore } from './threads-effects.js';
export {
  initialThreadsState,
  selectOpenThread,
  selectThreadSize,
  selectThreadUnread,
  threadKey,
  threadsReducer,
  useOpenThread,
  type OpenThread,
  type ThreadsAction,
  type ThreadsState,
  type WithThreads,
} from './threads-slice.js';
