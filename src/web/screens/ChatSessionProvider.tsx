/**
 * Gives the chat screen one ChatSession for the signed-in user: its store for the components'
 * selectors, and each feature's actions.
 */
import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { SessionUser } from '../../protocol/index.js';
import { StoreProvider } from '../core/store/index.js';
import { createTransport, type Transport } from '../core/transport/index.js';
import { MessagesActionsProvider } from '../features/messages/index.js';
import { ModerationActionsProvider } from '../features/moderation/index.js';
import { NotificationsActionsProvider } from '../features/notifications/index.js';
import { roomIdFromHash } from '../features/navigation/index.js';
import { ReactionsActionsProvider } from '../features/reactions/index.js';
import { ReadsActionsProvider } from '../features/reads/index.js';
import { RoomsActionsProvider } from '../features/rooms/index.js';
import { SearchActionsProvider } from '../features/search/index.js';
import { ThreadsActionsProvider } from '../features/threads/index.js';
import { TypingActionsProvider } from '../features/typing/index.js';
import { ChatSession } from './chat-session.js';

export interface ChatSessionProviderProps {
  me: SessionUser;
  onSessionEnded: () => void;
  children: ReactNode;
  /** For tests: a fake API and socket. */
  createTransport?: () => Transport;
}

export function ChatSessionProvider({
  me,
  onSessionEnded,
  children,
  createTransport: makeTransport = createTransport,
}: ChatSessionProviderProps) {
  const sessionEnded = useRef(onSessionEnded);
  useEffect(() => {
    sessionEnded.current = onSessionEnded;
  }, [onSessionEnded]);

  const [session] = useState(
    () =>
      new ChatSession({
        me,
        transport: makeTransport(),
        onSessionEnded: () => sessionEnded.current(),
        addressRoomId: roomIdFromHash(window.location.hash),
      }),
  );

  useEffect(() => {
    session.start();
    return () => session.stop();
  }, [session]);

  return <ChatSessionContext session={session}>{children}</ChatSessionContext>;
}

/** The store and every feature's actions of one session, for the components below. */
export function ChatSessionContext({
  session,
  children,
}: {
  session: ChatSession;
  children: ReactNode;
}) {
  return (
    <StoreProvider store={session.store}>
      <MessagesActionsProvider value={session.messages}>
        <TypingActionsProvider value={session.typing}>
          <ReadsActionsProvider value={session.reads}>
            <RoomsActionsProvider value={session.rooms}>
              <NotificationsActionsProvider value={session.notifications}>
                <ReactionsActionsProvider value={session.reactions}>
                  <SearchActionsProvider value={session.search}>
                    <ThreadsActionsProvider value={session.threads}>
                      <ModerationActionsProvider value={session.moderation}>
                        {children}
                      </ModerationActionsProvider>
                    </ThreadsActionsProvider>
                  </SearchActionsProvider>
                </ReactionsActionsProvider>
              </NotificationsActionsProvider>
            </RoomsActionsProvider>
          </ReadsActionsProvider>
        </TypingActionsProvider>
      </MessagesActionsProvider>
    </StoreProvider>
  );
}
