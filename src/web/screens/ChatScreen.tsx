/**
 * The signed-in screen: the sidebar (rooms, who is online, the user, their account menu and logout) and the open room
 * (header with its members and actions, timeline, who is typing, message box). On a phone the
 * sidebar is a drawer behind a button. Each part selects what it shows from the store; this
 * screen holds only the layout's own state (the drawer, the open dialog, a problem to show).
 */
import { useCallback, useEffect, useState } from 'react';
import type { Ref } from 'react';
import { privateRoomMembers } from '../../protocol/index.js';
import { CloseIcon, IconButton, LogoutIcon, MenuIcon, useMediaQuery } from '../core/ui/index.js';
import { AccountMenu } from '../features/auth/index.js';
import { ConnectionStatusBanner, MyStatus } from '../features/connection/index.js';
import { preloadMarkdown } from '../features/formatting/index.js';
import {
  COMPOSER_INPUT_ID,
  Composer,
  MessageExtrasProvider,
  RoomTimeline,
  useMessageEditing,
  useMessagesActions,
  type MessageEditing,
  type MessageExtras,
} from '../features/messages/index.js';
import { useOpenRoomId, useRoomInAddress } from '../features/navigation/index.js';
import {
  AttentionIndicators,
  MuteButton,
  NotificationOffer,
  NotificationSettingsButton,
  useAttentionTotal,
} from '../features/notifications/index.js';
import { OnlineUsers } from '../features/presence/index.js';
import { ReactButton, ReactionBar } from '../features/reactions/index.js';
import {
  ReplyButton,
  ReplyQuote,
  ThreadPanel,
  ThreadSummary,
  useOpenThread,
} from '../features/threads/index.js';
import { AttachmentTray, MessageFiles, filesOf, useAttachments } from '../features/files/index.js';
import { SeenMarker, useMarkRead } from '../features/reads/index.js';
import { MessageSearch } from '../features/search/index.js';
import {
  RoomActions,
  RoomDialog,
  RoomHeading,
  RoomList,
  useMentionable,
  useRoomHeading,
  useRoomsActions,
  type RoomDialogName,
} from '../features/rooms/index.js';
import { TypingIndicator, useTypingActions } from '../features/typing/index.js';
import { useDrawer } from './use-drawer.js';

/**
 * What the other features add to each message: replying and reacting, the quote above a reply,
 * and under a message its thread's size, its reactions and "Seen" (a deleted one keeps its thread
 * only).
 */
const MESSAGE_EXTRAS: MessageExtras = {
  Actions: (props) => (
    <>
      <ReplyButton {...props} />
      <ReactButton {...props} />
    </>
  ),
  Above: ReplyQuote,
  Below: (props) => (
    <>
      <ThreadSummary {...props} />
      {!props.deleted && <MessageFiles {...props} />}
      {!props.deleted && <ReactionBar {...props} />}
      {!props.deleted && <SeenMarker {...props} />}
    </>
  ),
};

/** Below this width the sidebar becomes a drawer (keep in step with styles.css). */
export const NARROW_QUERY = '(max-width: 760px)';

export function ChatScreen({
  onLogout,
  onSignedOutEverywhere,
}: {
  onLogout: () => void;
  onSignedOutEverywhere: () => void;
}) {
  const rooms = useRoomsActions();
  const roomId = useOpenRoomId();
  const narrow = useMediaQuery(NARROW_QUERY);
  const drawer = useDrawer(narrow);
  const [problem, setProblem] = useState<string | null>(null);
  const [dialog, setDialog] = useState<RoomDialogName | null>(null);
  const threadOpen = useOpenThread() !== null;

  useRoomInAddress();
  // The parser's chunk comes while the history loads: formatted messages show formatted at once.
  useEffect(() => {
    preloadMarkdown().catch(() => undefined);
  }, []);
  const { title } = useRoomHeading(roomId);
  // Held here, not in the room's own parts: back in a room, an edit left open there still is.
  const { editing, editLast } = useMessageEditing(roomId);
  const closeDrawer = drawer.close;

  const selectRoom = useCallback(
    (id: string) => {
      rooms.selectRoom(id);
      closeDrawer();
    },
    [rooms, closeDrawer],
  );

  const openPrivate = useCallback(
    (userId: string) => {
      closeDrawer();
      rooms.openPrivateRoom(userId).then(
        () => setProblem(null),
        (error: unknown) =>
          setProblem(
            `The private chat could not be opened. ${error instanceof Error ? error.message : ''}`,
          ),
      );
    },
    [rooms, closeDrawer],
  );

  const closeDialog = useCallback(() => setDialog(null), []);
  const openDialog = useCallback(
    (which: RoomDialogName) => {
      // On a phone the drawer gives way to the dialog.
      closeDrawer();
      setDialog(which);
    },
    [closeDrawer],
  );
  const openNewRoom = useCallback(() => openDialog('new-room'), [openDialog]);
  const openDirectory = useCallback(() => openDialog('directory'), [openDialog]);

  return (
    <div
      className={`chat${drawer.shown ? ' chat--drawer-open' : ''}${threadOpen ? ' chat--thread-open' : ''}`}
    >
      <AttentionIndicators roomTitle={title} />
      <a className="skip-link" href={`#${COMPOSER_INPUT_ID}`}>
        Skip to the message box
      </a>
      <aside
        ref={drawer.sidebar}
        id="sidebar"
        className="sidebar"
        aria-label="Rooms and people"
        // Off screen on a phone until opened: out of the tab order too.
        inert={narrow && !drawer.open}
      >
        <header className="sidebar__me">
          <MyStatus />
          <NotificationSettingsButton />
          <AccountMenu onSignedOutEverywhere={onSignedOutEverywhere} />
          <IconButton label="Log out" onClick={onLogout}>
            <LogoutIcon />
          </IconButton>
          {narrow && (
            <IconButton label="Close rooms" onClick={closeDrawer}>
              <CloseIcon />
            </IconButton>
          )}
        </header>
        <div className="sidebar__scroll">
          <RoomList onSelect={selectRoom} onCreate={openNewRoom} onBrowse={openDirectory} />
          <OnlineUsers onMessage={openPrivate} />
        </div>
      </aside>
      {drawer.shown && <div className="backdrop" onClick={closeDrawer} aria-hidden="true" />}
      <main className="conversation" inert={drawer.shown}>
        <header className="conversation__header">
          <MenuButton buttonRef={drawer.menuButton} expanded={drawer.shown} onClick={drawer.show} />
          <RoomHeading roomId={roomId} />
          <RoomActions roomId={roomId} onOpenDialog={setDialog}>
            <MessageSearch roomId={roomId} />
            <MuteButton roomId={roomId} />
          </RoomActions>
        </header>
        <ConnectionStatusBanner />
        <NotificationOffer />
        {problem && (
          <div className="problem" role="alert">
            <span>{problem}</span>
            <button type="button" className="link-button" onClick={() => setProblem(null)}>
              Dismiss
            </button>
          </div>
        )}
        <Conversation
          key={roomId}
          roomId={roomId}
          title={title}
          autoFocus={!narrow}
          onOpenPrivate={openPrivate}
          editing={editing}
          onEditLast={editLast}
        />
      </main>
      <ThreadPanel onOpenPrivate={openPrivate} />
      {dialog && (
        <RoomDialog
          dialog={dialog}
          roomId={roomId}
          onClose={closeDialog}
          onOpenPrivate={openPrivate}
        />
      )}
    </div>
  );
}

/**
 * The phone's button that shows the rooms, with the number of unread messages on it (those of
 * muted rooms left out, as in the page's title).
 */
function MenuButton({
  buttonRef,
  expanded,
  onClick,
}: {
  buttonRef: Ref<HTMLButtonElement>;
  expanded: boolean;
  onClick: () => void;
}) {
  const unreadTotal = useAttentionTotal();
  return (
    <IconButton
      ref={buttonRef}
      // The badge's number is part of the button's name.
      label={unreadTotal > 0 ? `Show rooms, ${unreadTotal} unread` : 'Show rooms'}
      className="conversation__menu"
      onClick={onClick}
      aria-expanded={expanded}
      aria-controls="sidebar"
    >
      <MenuIcon />
      {unreadTotal > 0 && <span className="conversation__menu-badge">{unreadTotal}</span>}
    </IconButton>
  );
}

/** The open room's timeline, who is typing there, and its message box. */
function Conversation({
  roomId,
  title,
  autoFocus,
  onOpenPrivate,
  editing,
  onEditLast,
}: {
  roomId: string;
  title: string;
  autoFocus: boolean;
  onOpenPrivate: (userId: string) => void;
  editing: MessageEditing;
  onEditLast: () => boolean;
}) {
  const messages = useMessagesActions();
  const typing = useTypingActions();
  const rooms = useRoomsActions();
  const { seenBottom } = useMarkRead(roomId);
  const mentionable = useMentionable(roomId);

  const reload = useCallback(() => rooms.selectRoom(roomId), [rooms, roomId]);
  const attachments = useAttachments(roomId);
  const { take, add } = attachments;
  // A message of files only says what it carries (a message always has text).
  const send = useCallback(
    (text: string) => {
      const files = take();
      const caption = text.trim() ? text : files.map((file) => file.name).join(', ');
      messages.send(roomId, caption, undefined, files);
    },
    [messages, roomId, take],
  );
  const takeFiles = (event: { preventDefault: () => void }, data: DataTransfer | null) => {
    const files = filesOf(data);
    if (files.length === 0) return;
    event.preventDefault();
    add(files);
  };
  const typingInput = useCallback((text: string) => typing.input(roomId, text), [typing, roomId]);
  const typingStopped = useCallback(() => typing.stopped(roomId), [typing, roomId]);

  return (
    <MessageExtrasProvider value={MESSAGE_EXTRAS}>
      <RoomTimeline
        roomId={roomId}
        title={title}
        withPerson={privateRoomMembers(roomId) !== null}
        onOpenPrivate={onOpenPrivate}
        onReload={reload}
        onSeenBottom={seenBottom}
        editing={editing}
      />
      <TypingIndicator roomId={roomId} />
      <div
        className="conversation__input"
        onPaste={(event) => takeFiles(event, event.clipboardData)}
        onDrop={(event) => takeFiles(event, event.dataTransfer)}
        onDragOver={(event) => {
          if (event.dataTransfer.types.includes('Files')) event.preventDefault();
        }}
      >
        <AttachmentTray attachments={attachments} />
        <Composer
          roomTitle={title}
          canSendEmpty={attachments.ready && !attachments.busy}
          onSend={send}
          autoFocus={autoFocus}
          members={mentionable}
          onTyping={typingInput}
          onStopTyping={typingStopped}
          onEditLast={onEditLast}
        />
      </div>
    </MessageExtrasProvider>
  );
}
