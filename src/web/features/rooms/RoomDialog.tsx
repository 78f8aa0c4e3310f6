/**
 * The rooms' dialogs, one at a time: new room, the directory, and for the open room its members,
 * invitations and leaving. Each closes itself when its work is done.
 */
import { useCallback, useMemo, useState } from 'react';
import {
  GENERAL_ROOM_ID,
  type RoomVisibility,
  type UserPresence,
} from '../../../protocol/index.js';
import { useSelector } from '../../core/store/index.js';
import { ConfirmDialog } from '../../core/ui/index.js';
import { useIsAdmin, useMe } from '../auth/index.js';
import { BanDialog } from '../moderation/index.js';
import { InviteDialog } from './InviteDialog.js';
import { MembersDialog } from './MembersDialog.js';
import { NewRoomDialog } from './NewRoomDialog.js';
import { RoomDirectory } from './RoomDirectory.js';
import { useRoomsActions } from './rooms-context.js';
import type { WithRooms } from './rooms-slice.js';
import { useMembers, useRoomHeading } from './room-selectors.js';

export type RoomDialogName = 'new-room' | 'directory' | 'members' | 'invite' | 'leave';

export interface RoomDialogProps {
  dialog: RoomDialogName;
  /** The open room, for members, invite and leave. */
  roomId: string;
  onClose: () => void;
  /** From the member list: a private chat with someone. */
  onOpenPrivate: (userId: string) => void;
}

export function RoomDialog({ dialog, roomId, onClose, onOpenPrivate }: RoomDialogProps) {
  const rooms = useRoomsActions();
  const createRoom = useCallback(
    (name: string, visibility: RoomVisibility) => rooms.createRoom(name, visibility),
    [rooms],
  );
  const searchRooms = useCallback(
    (search: string, after?: string) => rooms.searchRooms(search, after),
    [rooms],
  );
  const joinRoom = useCallback((id: string) => rooms.joinRoom(id), [rooms]);

  switch (dialog) {
    case 'new-room':
      return <NewRoomDialog onCreate={createRoom} onClose={onClose} />;
    case 'directory':
      return <RoomDirectory onSearch={searchRooms} onJoin={joinRoom} onClose={onClose} />;
    default:
      return (
        <OpenRoomDialog
          dialog={dialog}
          roomId={roomId}
          onClose={onClose}
          onOpenPrivate={onOpenPrivate}
        />
      );
  }
}

function OpenRoomDialog({
  dialog,
  roomId,
  onClose,
  onOpenPrivate,
}: RoomDialogProps & { dialog: 'members' | 'invite' | 'leave' }) {
  const rooms = useRoomsActions();
  const me = useMe();
  const { title, kind, visibility } = useRoomHeading(roomId);
  const members = useMembers(roomId);
  const everyone = useSelector((state: WithRooms) => state.rooms[GENERAL_ROOM_ID]?.members ?? null);
  const isAdmin = useIsAdmin();
  const [banning, setBanning] = useState<UserPresence | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const memberIds = useMemo(() => new Set((members ?? []).map((member) => member.id)), [members]);

  if (dialog === 'members') {
    // The confirmation takes the member list's place, and gives it back when it closes.
    if (banning) {
      return (
        <BanDialog
          user={banning}
          onBanned={() => setNotice(`${banning.username} is banned.`)}
          onClose={() => setBanning(null)}
        />
      );
    }
    return (
      <MembersDialog
        title={title}
        members={members}
        meId={me.id}
        onMessage={(userId) => {
          onClose();
          onOpenPrivate(userId);
        }}
        {...(isAdmin ? { onBan: setBanning } : {})}
        notice={notice}
        onClose={onClose}
      />
    );
  }
  if (kind !== 'group') return null;
  if (dialog === 'invite') {
    return (
      <InviteDialog
        title={title}
        people={everyone}
        memberIds={memberIds}
        onInvite={(userId) => rooms.invite(roomId, userId)}
        onClose={onClose}
      />
    );
  }
  return (
    <ConfirmDialog
      label={`Leave ${title}?`}
      title={
        <>
          Leave <bdi>{title}</bdi>?
        </>
      }
      text={
        visibility === 'private'
          ? 'You will stop seeing its messages. Only a member can invite you back.'
          : 'You will stop seeing its messages. You can join again from the directory.'
      }
      confirmLabel="Leave"
      onConfirm={() => rooms.leaveRoom(roomId)}
      onClose={onClose}
    />
  );
}
