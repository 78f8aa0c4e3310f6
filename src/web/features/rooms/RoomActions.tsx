/** The open room's actions in the header: its members, and for group rooms invite and leave. */
import type { ReactNode } from 'react';
import { GENERAL_ROOM_ID } from '../../../protocol/index.js';
import { AddPersonIcon, IconButton, LeaveIcon, PeopleIcon } from '../../core/ui/index.js';
import type { RoomDialogName } from './RoomDialog.js';
import { useRoomsActions } from './rooms-context.js';
import { useMembers, useRoomHeading } from './room-selectors.js';

export interface RoomActionsProps {
  roomId: string;
  onOpenDialog: (dialog: RoomDialogName) => void;
  /** Actions of other features on the room (its mute button), first in the row. */
  children?: ReactNode;
}

export function RoomActions({ roomId, onOpenDialog, children }: RoomActionsProps) {
  const rooms = useRoomsActions();
  const { kind } = useRoomHeading(roomId);
  const members = useMembers(roomId);
  return (
    <div className="conversation__actions">
      {children}
      {kind !== 'direct' && (
        <IconButton
          // The count shows on the button, so it is part of its name too (not in brackets,
          // which name matching ignores).
          label={members ? `Room members, ${members.length}` : 'Room members'}
          className="conversation__members"
          onClick={() => {
            void rooms.loadMembers(roomId);
            onOpenDialog('members');
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
              void rooms.loadMembers(GENERAL_ROOM_ID);
              onOpenDialog('invite');
            }}
          >
            <AddPersonIcon />
          </IconButton>
          <IconButton label="Leave room" onClick={() => onOpenDialog('leave')}>
            <LeaveIcon />
          </IconButton>
        </>
      )}
    </div>
  );
}
