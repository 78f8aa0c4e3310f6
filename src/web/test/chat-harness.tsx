/**
 * A chat for tests: the real store, reducers and effects over the fake transport. Tests drive it
 * through the fake socket (what the server would send) and the feature actions (what the user
 * does), and read it through `roomView`, which gathers what every feature holds about a room.
 */
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import type { ChatMessage, SessionUser } from '../../protocol/index.js';
import { StoreProvider } from '../core/store/index.js';
import { createTransport } from '../core/transport/index.js';
import { ChatSession } from '../screens/chat-session.js';
import {
  chatReducer,
  createChatStore,
  initialChatState,
  type ChatAction,
  type ChatState,
  type ChatStore,
} from '../screens/chat-state.js';
import { ChatSessionContext } from '../screens/ChatSessionProvider.js';
import { FakeSocket, fakeApi } from './fake-transport.js';

export const me: SessionUser = { id: '1', username: 'Pablo' };

/** Lets pending promise callbacks run. */
export const settle = () => new Promise((done) => setTimeout(done, 0));

export function startTestSession(
  overrides: Parameters<typeof fakeApi>[0] = {},
  addressRoomId: string | null = null,
) {
  const socket = new FakeSocket();
  const { api, calls } = fakeApi(overrides);
  const onSessionEnded = vi.fn();
  const session = new ChatSession({
    me,
    transport: createTransport(api, socket.asChatSocket()),
    onSessionEnded,
    addressRoomId,
  });
  session.start();
  const state = () => session.store.getState();
  return { socket, api, calls, session, onSessionEnded, state };
}

/** Everything the features hold about one room, or undefined when the user is not in it. */
export function roomView(state: ChatState, roomId: string) {
  const room = state.rooms[roomId];
  const timeline = state.timelines[roomId];
  if (!room || !timeline) return undefined;
  return {
    summary: room.summary,
    members: room.members,
    messages: timeline.messages,
    outbox: timeline.outbox,
    notices: timeline.notices,
    load: timeline.load,
    hasOlder: timeline.hasOlder,
    loadingOlder: timeline.loadingOlder,
    lastMessage: timeline.latest,
    unread: state.unread[roomId]?.messages ?? 0,
    mentions: state.unread[roomId]?.mentions ?? 0,
    typists: state.typists[roomId] ?? [],
  };
}

/** The state after the actions, from a fresh chat of `me`. */
export function stateAfter(
  start: ChatState | { addressRoomId: string | null },
  ...actions: ChatAction[]
): ChatState {
  const initial = 'session' in start ? start : initialChatState(me, start.addressRoomId);
  return actions.reduce(chatReducer, initial);
}

export const freshState = (addressRoomId: string | null = null) =>
  initialChatState(me, addressRoomId);

/** A store already holding what the actions made, for component tests. */
export function storeAfter(...actions: ChatAction[]): ChatStore {
  const store = createChatStore(me);
  store.dispatch(...actions);
  return store;
}

export const renderWithStore = (ui: ReactElement, store: ChatStore = createChatStore(me)) =>
  render(<StoreProvider store={store}>{ui}</StoreProvider>);

/** Renders inside a started session: the store and every feature's actions. */
export const renderInSession = (ui: ReactElement, session: ChatSession) =>
  render(<ChatSessionContext session={session}>{ui}</ChatSessionContext>);

/** A fresh chat whose General history is loaded with `messages` (oldest first). */
export function withGeneralLoaded(messages: ChatMessage[] = []): ChatState {
  return stateAfter(
    freshState(),
    { type: 'page.started', roomId: '0', older: false },
    { type: 'page.loaded', roomId: '0', messages: [...messages].reverse(), size: 30, older: false },
  );
}
