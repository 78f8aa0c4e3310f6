/**
 * Room timelines: history pages, live messages, catching up, sending with acks, editing and
 * deleting; the timeline and the message box.
 */
export { COMPOSER_INPUT_ID, Composer, type ComposerProps } from './Composer.js';
export { MessageGroup, type MessageEditing } from './MessageGroup.js';
export {
  MessageExtrasProvider,
  useMessageExtras,
  type MessageExtraProps,
  type MessageExtras,
} from './message-extras.js';
export { MessageList, type MessageListProps } from './MessageList.js';
export { MessagesActionsProvider, useMessagesActions } from './messages-context.js';
export {
  CATCH_UP_PAGE_SIZE,
  CONTEXT_FILL_REQUESTS_MAX,
  MessagesEffects,
  PAGE_SIZE,
  type MessagesStore,
} from './messages-effects.js';
export { RoomTimeline, type RoomTimelineProps } from './RoomTimeline.js';
export { buildTimeline, type MessageView, type TimelineBlock } from './timeline.js';
export {
  NOTICES_KEPT,
  arrivalIn,
  initialTimelinesState,
  messagesByRoom,
  newTimeline,
  newer,
  selectLatest,
  selectTimeline,
  timelinesReducer,
  type Arrival,
  type MessagesAction,
  type Notice,
  type OutgoingMessage,
  type RoomLoad,
  type Timeline,
  type TimelinesState,
  type WithTimelines,
} from './timelines-slice.js';
export { useMessageEditing } from './use-message-editing.js';
