/**
 * Gives the screen one ChatController for the signed-in user. Components subscribe to the slices
 * of state they show (useSyncExternalStore), so a message in one room does not redraw the others.
 */
import {
  createContext,
  useContext,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import type { ReactNode } from 'react';
import type { SessionUser } from '../../protocol/index.js';
import { api as defaultApi, type Api } from '../lib/api.js';
import { roomIdFromHash } from '../lib/room-address.js';
import { createChatSocket, type ChatSocket } from '../lib/socket.js';
import { ChatController } from './chat-controller.js';
import type { ChatState } from './chat-state.js';

const ChatContext = createContext<ChatController | null>(null);

export interface ChatProviderProps {
  me: SessionUser;
  onSessionEnded: () => void;
  children: ReactNode;
  /** For tests: a fake API and socket. */
  api?: Api;
  createSocket?: () => ChatSocket;
}

export function ChatProvider({
  me,
  onSessionEnded,
  children,
  api = defaultApi,
  createSocket = createChatSocket,
}: ChatProviderProps) {
  const sessionEnded = useRef(onSessionEnded);
  useEffect(() => {
    sessionEnded.current = onSessionEnded;
  }, [onSessionEnded]);

  const [controller] = useState(
    () =>
      new ChatController({
        api,
        socket: createSocket(),
        me,
        onSessionEnded: () => sessionEnded.current(),
        openRoomId: roomIdFromHash(window.location.hash),
      }),
  );

  useEffect(() => {
    controller.start();
    return () => controller.stop();
  }, [controller]);

  return <ChatContext.Provider value={controller}>{children}</ChatContext.Provider>;
}

export function useChatController(): ChatController {
  const controller = useContext(ChatContext);
  if (!controller) throw new Error('useChatController must be used inside <ChatProvider>');
  return controller;
}

/** A slice of the chat state; the component redraws only when that slice changes. */
export function useChatState<T>(select: (state: ChatState) => T): T {
  const controller = useChatController();
  return useSyncExternalStore(controller.subscribe, () => select(controller.getState()));
}
