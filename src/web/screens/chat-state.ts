/**
 * The chat's state: one slice per feature, each changed by its own reducer. The order of the
 * slices is the order of the features (a reducer may read the slices before its own).
 */
import type { SessionUser } from '../../protocol/index.js';
import type { ChatEvent } from '../core/events.js';
import { combineSlices, createStore, type Store } from '../core/store/index.js';
import { initialSessionState, sessionReducer, type WithSession } from '../features/auth/index.js';
import {
  connectionReducer,
  initialConnectionState,
  type ConnectionAction,
  type WithConnection,
} from '../features/connection/index.js';
import {
  initialTimelinesState,
  timelinesReducer,
  type MessagesAction,
  type WithTimelines,
} from '../features/messages/index.js';
import {
  initialOpenRoomState,
  openRoomReducer,
  type NavigationAction,
  type WithOpenRoom,
} from '../features/navigation/index.js';
import {
  initialUsersState,
  usersReducer,
  type PresenceAction,
  type WithUsers,
} from '../features/presence/index.js';
import {
  initialNotificationsState,
  notificationsReducer,
  type NotificationsAction,
  type WithNotifications,
} from '../features/notifications/index.js';
import {
  initialReactionsState,
  reactionsReducer,
  type ReactionsAction,
  type WithReactions,
} from '../features/reactions/index.js';
import {
  receiptsReducer,
  unreadReducer,
  type ReadsAction,
  type ReceiptsAction,
  type WithReceipts,
  type WithUnread,
} from '../features/reads/index.js';
import {
  initialThreadsState,
  threadsReducer,
  type ThreadsAction,
  type WithThreads,
} from '../features/threads/index.js';
import { initialRoomsState, roomsReducer, type WithRooms } from '../features/rooms/index.js';
import { typistsReducer, type TypingAction, type WithTypists } from '../features/typing/index.js';

export type ChatState = WithSession &
  WithOpenRoom &
  WithUsers &
  WithTimelines &
  WithTypists &
  WithUnread &
  WithReceipts &
  WithRooms &
  WithConnection &
  WithNotifications &
  WithReactions &
  WithThreads;

export type ChatAction =
  | ChatEvent
  | NavigationAction
  | PresenceAction
  | MessagesAction
  | TypingAction
  | ReadsAction
  | ReceiptsAction
  | ConnectionAction
  | NotificationsAction
  | ReactionsAction
  | ThreadsAction;

export type ChatStore = Store<ChatState, ChatAction>;

export const chatReducer = combineSlices<ChatState, ChatAction>({
  session: sessionReducer,
  openRoom: openRoomReducer,
  users: usersReducer,
  timelines: timelinesReducer,
  typists: typistsReducer,
  unread: unreadReducer,
  receipts: receiptsReducer,
  rooms: roomsReducer,
  connection: connectionReducer,
  notifications: notificationsReducer,
  reactions: reactionsReducer,
  threads: threadsReducer,
});

/** `addressRoomId`: the room to show first (from the page's address), if the user is in it. */
export function initialChatState(me: SessionUser, addressRoomId: string | null = null): ChatState {
  return {
    session: initialSessionState(me),
    openRoom: initialOpenRoomState(addressRoomId),
    users: initialUsersState(me),
    timelines: initialTimelinesState(),
    typists: {},
    unread: {},
    receipts: {},
    rooms: initialRoomsState(),
    connection: initialConnectionState(),
    notifications: initialNotificationsState(),
    reactions: initialReactionsState(),
    threads: initialThreadsState(),
  };
}

export function createChatStore(me: SessionUser, addressRoomId: string | null = null): ChatStore {
  return createStore(chatReducer, initialChatState(me, addressRoomId));
}
