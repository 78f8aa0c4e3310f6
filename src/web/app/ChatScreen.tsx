/**
 * The signed-in screen: the sidebar (rooms, who is online, the user and logout) and the current
 * room (header with its members and actions, timeline, who is typing, message box). On a phone
 * the sidebar is a drawer behind a button.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { GENERAL_ROOM_ID, type RoomVisibility } from '../../protocol/index.js';
import { ConnectionBanner, connectionLabel } from '../features/connection/ConnectionBanner.js';
import { COMPOSER_INPUT_ID, Composer } from '../features/messages/Composer.js';
import type { MessageEditing } from '../features/messages/MessageGroup.js';
import { MessageList } from '../features/messages/MessageList.js';
import { buildTimeline } from '../features/messages/timeline.js';
import { Avatar } from '../features/presence/Avatar.js';
import { OnlineUsers } from '../features/presence/OnlineUsers.js';
import { InviteDialog } from '../features/rooms/InviteDialog.js';
import { MembersDialog } from '../features/rooms/MembersDialog.js';
import { NewRoomDialog } from '../features/rooms/NewRoomDialog.js';
import { kindOfRoom, roomItems } from '../features/rooms/room-items.js';
import { RoomDirectory } from '../features/rooms/RoomDirectory.js';
import { RoomList, roomSymbol } from '../features/rooms/RoomList.js';
import { TypingIndicator } from '../features/typing/TypingIndicator.js';
import { countOf } from '../lib/format.js';
import { showRoomInAddress } from '../lib/room-address.js';
import { useChatController, useChatState } from './chat-context.js';
import { partnerOf, roomTitle } from './chat-state.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { IconButton } from './IconButton.js';
import { AddPersonIcon, CloseIcon, LeaveIcon, LogoutIcon, MenuIcon, PeopleIcon } from './icons.js';
import { useMediaQuery } from './use-media-query.js';

type OpenDialog = 'new-room' | 'directory' | 'members' | 'invite' | 'leave' | null;

const focusComposer = () => document.getElementById(COMPOSER_INPUT_ID)?.focus();

/** Below this width the sidebar becomes a drawer (keep in step with styles.css). */
export const NARROW_QUERY = '(max-width: 760px)';

export function ChatScreen({ onLogout }: { onLogout: () => void }) {
  const controller = useChatController();
  const state = useChatState((current) => current);
  const { me, users, currentRoomId, connection, reconnectedAt } = state;
  const room = state.rooms[currentRoomId] ?? state.rooms[GENERAL_ROOM_ID]!;
  const narrow = useMediaQuery(NARROW_QUERY);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [editing, setEditing] = useState<{ roomId: string; id: string } | null>(null);
  const drawerButton = useRef<HTMLButtonElement>(null);
  const sidebar = useRef<HTMLElement>(null);

  const items = useMemo(() => roomItems(state), [state]);
  const onlineUsers = useMemo(
    () =>
      Object.values(users)
        .filter((user) => user.online && user.id !== me.id)
        .sort((a, b) => a.username.localeCompare(b.username)),
    [users, me.id],
  );
  const blocks = useMemo(
    () => buildTimeline(room.messages, room.outbox, room.notices, me.id),
    [room.messages, room.outbox, room.notices, me.id],
  );

  const title = roomTitle(room.summary, me.id);
  const partnerId = partnerOf(room.summary, me.id);
  const partner = partnerId ? users[partnerId] : undefined;
  const kind = kindOfRoom(room.summary, partnerId);
  const visibility = room.summary.visibility ?? null;
  // Presence from the live events, over the snapshot the member list was loaded with.
  const members = useMemo(
    () =>
      room.members?.map((member) => {
        const known = users[member.id];
        return known ? { ...member, online: known.online } : member;
      }) ?? null,
    [room.members, users],
  );
  const memberIds = useMemo(
    () => new Set((room.members ?? []).map((member) => member.id)),
    [room.members],
  );
  const mentionable = useMemo(
    () => (room.members ?? []).filter((member) => member.id !== me.id),
    [room.members, me.id],
  );
  const everyone = state.rooms[GENERAL_ROOM_ID]?.members ?? null;
  const unreadTotal = items.reduce((sum, item) => sum + item.unread, 0);

  useEffect(() => {
    document.title = `${unreadTotal > 0 ? `(${unreadTotal}) ` : ''}${title} · Redis Chat`;
  }, [title, unreadTotal]);

  const drawerShown = narrow && drawerOpen;
  const closeDrawer = useCallback(() => setDrawerOpen(false), []);

  // When the drawer closes, the focus it held would fall to <body>: give it back to the menu
  // button (only after the render that lifts `inert` from the conversation).
  const drawerWasShown = useRef(false);
  useEffect(() => {
    const active = document.activeElement;
    if (
      drawerWasShown.current &&
      !drawerShown &&
      (active === document.body || sidebar.current?.contains(active))
    ) {
      drawerButton.current?.focus();
    }
    drawerWasShown.current = drawerShown;
  }, [drawerShown]);

  useEffect(() => {
    if (!drawerShown) return;
    sidebar.current?.querySelector<HTMLElement>('[aria-current="page"]')?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') closeDrawer();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [drawerShown, closeDrawer]);

  const selectRoom = useCallback(
    (roomId: string) => {
      controller.selectRoom(roomId);
      setDrawerOpen(false);
    },
    [controller],
  );

  const openPrivate = useCallback(
    (userId: string) => {
      setDrawerOpen(false);
      controller.openPrivateRoom(userId).then(
        () => setProblem(null),
        (error: unknown) =>
          setProblem(
            `The private chat could not be opened. ${error instanceof Error ? error.message : ''}`,
          ),
      );
    },
    [controller],
  );

  const roomId = room.summary.id;
  const loadOlder = useCallback(() => controller.loadOlder(roomId), [controller, roomId]);
  const reload = useCallback(() => controller.selectRoom(roomId), [controller, roomId]);
  const retry = useCallback(
    (localId: string) => controller.retry(roomId, localId),
    [controller, roomId],
  );
  const discard = useCallback(
    (localId: string) => controller.discard(roomId, localId),
    [controller, roomId],
  );
  const send = useCallback((text: string) => controller.send(roomId, text), [controller, roomId]);
  const seenBottom = useCallback(() => {
    if (document.visibilityState === 'visible') controller.markRead(roomId);
  }, [controller, roomId]);

  // The address follows the open room (once the one it asked for at start is settled).
  const opening = state.opening !== null;
  useEffect(() => {
    if (!opening) showRoomInAddress(roomId);
  }, [opening, roomId]);

  // Coming back to a tab where the room was open all along: what arrived meanwhile is read now.
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible') controller.markRead(roomId);
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [controller, roomId]);

  const typingInput = useCallback(
    (text: string) => controller.typingInput(roomId, text),
    [controller, roomId],
  );
  const typingStopped = useCallback(() => controller.typingStopped(roomId), [controller, roomId]);

  const editingId = editing?.roomId === roomId ? editing.id : null;
  const messageEditing = useMemo<MessageEditing>(
    () => ({
      meName: me.username,
      editingId,
      onStartEdit: (id) => setEditing({ roomId, id }),
      onStopEdit: () => {
        setEditing(null);
        focusComposer();
      },
      onSaveEdit: (id, text) =>
        controller.editMessage(roomId, id, text).then(() => {
          setEditing(null);
          focusComposer();
        }),
      onDelete: (id) => controller.deleteMessage(roomId, id).then(focusComposer),
    }),
    [controller, roomId, editingId, me.username],
  );
  const editLast = () => {
    const last = room.messages.findLast((message) => message.from === me.id && !message.deleted);
    if (!last) return false;
    setEditing({ roomId, id: last.id });
    return true;
  };

  const closeDialog = useCallback(() => setDialog(null), []);
  const openDialog = useCallback((which: OpenDialog) => {
    // On a phone the drawer gives way to the dialog.
    setDrawerOpen(false);
    setDialog(which);
  }, []);
  const openNewRoom = useCallback(() => openDialog('new-room'), [openDialog]);
  const openDirectory = useCallback(() => openDialog('directory'), [openDialog]);
  const createRoom = useCallback(
    (name: string, roomVisibility: RoomVisibility) => controller.createRoom(name, roomVisibility),
    [controller],
  );
  const searchRooms = useCallback((search: string) => controller.searchRooms(search), [controller]);
  const joinRoom = useCallback((id: string) => controller.joinRoom(id), [controller]);

  let subtitle: string;
  if (partnerId) subtitle = partner?.online ? 'online' : 'offline';
  else if (roomId === GENERAL_ROOM_ID) {
    subtitle = `${onlineUsers.length + 1} online`;
  } else {
    const sort = visibility === 'private' ? 'Private room' : 'Public room';
    subtitle = members ? `${sort} · ${countOf(members.length, 'member')}` : sort;
  }

  return (
    <div className={`chat${drawerShown ? ' chat--drawer-open' : ''}`}>
      <a className="skip-link" href={`#${COMPOSER_INPUT_ID}`}>
        Skip to the message box
      </a>
      <aside
        ref={sidebar}
        id="sidebar"
        className="sidebar"
        aria-label="Rooms and people"
        // Off screen on a phone until opened: out of the tab order too.
        inert={narrow && !drawerOpen}
      >
        <header className="sidebar__me">
          <Avatar id={me.id} name={me.username} online={connection === 'online'} />
          <div className="sidebar__who">
            <span className="sidebar__name">{me.username}</span>
            <span className={`sidebar__status sidebar__status--${connection}`}>
              {connectionLabel(connection)}
            </span>
          </div>
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
          <RoomList
            rooms={items}
            currentRoomId={roomId}
            onSelect={selectRoom}
            onCreate={openNewRoom}
            onBrowse={openDirectory}
          />
          <OnlineUsers users={onlineUsers} onMessage={openPrivate} />
        </div>
      </aside>
      {drawerShown && (
        <div className="backdrop" onClick={() => setDrawerOpen(false)} aria-hidden="true" />
      )}
      <main className="conversation" inert={drawerShown}>
        <header className="conversation__header">
          <IconButton
            ref={drawerButton}
            label="Show rooms"
            className="conversation__menu"
            onClick={() => setDrawerOpen(true)}
            aria-expanded={drawerShown}
            aria-controls="sidebar"
          >
            <MenuIcon />
            {unreadTotal > 0 && <span className="conversation__menu-badge">{unreadTotal}</span>}
          </IconButton>
          <Avatar
            id={partnerId ?? `room-${roomId}`}
            name={title}
            symbol={roomSymbol({ kind, visibility })}
            online={partnerId ? (partner?.online ?? false) : undefined}
          />
          <div className="conversation__title">
            <h1>{title}</h1>
            <p>{subtitle}</p>
          </div>
          <div className="conversation__actions">
            {kind !== 'direct' && (
              <IconButton
                label="Room members"
                className="conversation__members"
                onClick={() => {
                  void controller.loadMembers(roomId);
                  setDialog('members');
                }}
              >
                <PeopleIcon />
                {members && (
                  <span className="conversation__count" aria-hidden="true">
                    {members.length}
                  </span>
                )}
              </IconButton>
            )}
            {kind === 'group' && (
              <>
                <IconButton
                  label="Invite people"
                  onClick={() => {
                    // Everyone, afresh: people who signed up since the screen opened count too.
                    void controller.loadMembers(GENERAL_ROOM_ID);
                    setDialog('invite');
                  }}
                >
                  <AddPersonIcon />
                </IconButton>
                <IconButton label="Leave room" onClick={() => setDialog('leave')}>
                  <LeaveIcon />
                </IconButton>
              </>
            )}
          </div>
        </header>
        <ConnectionBanner status={connection} reconnectedAt={reconnectedAt} />
        {problem && (
          <div className="problem" role="alert">
            <span>{problem}</span>
            <button type="button" className="link-button" onClick={() => setProblem(null)}>
              Dismiss
            </button>
          </div>
        )}
        <MessageList
          key={`timeline-${roomId}`}
          title={title}
          withPerson={partnerId !== null}
          blocks={blocks}
          users={users}
          load={room.load}
          loadError={room.loadError}
          hasOlder={room.hasOlder}
          loadingOlder={room.loadingOlder}
          onLoadOlder={loadOlder}
          onReload={reload}
          onOpenPrivate={openPrivate}
          onRetry={retry}
          onDiscard={discard}
          onSeenBottom={seenBottom}
          editing={messageEditing}
        />
        <TypingIndicator typists={room.typists} />
        <Composer
          key={`composer-${roomId}`}
          roomTitle={title}
          onSend={send}
          autoFocus={!narrow}
          members={mentionable}
          onTyping={typingInput}
          onStopTyping={typingStopped}
          onEditLast={editLast}
        />
      </main>
      {dialog === 'new-room' && <NewRoomDialog onCreate={createRoom} onClose={closeDialog} />}
      {dialog === 'directory' && (
        <RoomDirectory onSearch={searchRooms} onJoin={joinRoom} onClose={closeDialog} />
      )}
      {dialog === 'members' && (
        <MembersDialog
          title={title}
          members={members}
          meId={me.id}
          onMessage={(userId) => {
            setDialog(null);
            openPrivate(userId);
          }}
          onClose={closeDialog}
        />
      )}
      {dialog === 'invite' && kind === 'group' && (
        <InviteDialog
          title={title}
          people={everyone}
          memberIds={memberIds}
          onInvite={(userId) => controller.invite(roomId, userId)}
          onClose={closeDialog}
        />
      )}
      {dialog === 'leave' && kind === 'group' && (
        <ConfirmDialog
          label={`Leave ${title}?`}
          text={
            visibility === 'private'
              ? 'You will stop seeing its messages. Only a member can invite you back.'
              : 'You will stop seeing its messages. You can join again from the directory.'
          }
          confirmLabel="Leave"
          onConfirm={() => controller.leaveRoom(roomId)}
          onClose={closeDialog}
        />
      )}
    </div>
  );
}
