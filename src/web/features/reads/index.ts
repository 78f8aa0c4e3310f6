/** Unread counts (messages and mentions of the user) and read markers shared by every tab. */
export { ReadsActionsProvider, useReadsActions } from './reads-context.js';
export { ReadsEffects, type ReadsStore } from './reads-effects.js';
export {
  selectUnread,
  selectUnreadTotal,
  unreadReducer,
  useUnread,
  useUnreadTotal,
  type ReadsAction,
  type UnreadCount,
  type UnreadState,
  type WithUnread,
} from './unread-slice.js';
export { useMarkRead } from './use-mark-read.js';
export {
  receiptsReducer,
  selectSeenMessageId,
  useSeenHere,
  type ReceiptsAction,
  type ReceiptsState,
  type WithReceipts,
} from './receipts-slice.js';
export { SeenMarker, type SeenMarkerProps } from './SeenMarker.js';
