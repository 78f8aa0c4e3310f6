/**
 * The rooms on the left: General first, then the others by latest activity, with their unread and
 * mention badges; above them, the actions to create a room and to browse the directory.
 */
import { memo, useId } from 'react';
import { IconButton } from '../../app/IconButton.js';
import { LockIcon, PlusIcon, SearchIcon } from '../../app/icons.js';
import { formatListTime } from '../../lib/format.js';
import { Avatar } from '../presence/Avatar.js';
import type { RoomItem } from './room-items.js';

export interface RoomListProps {
  rooms: RoomItem[];
  currentRoomId: string;
  onSelect: (roomId: string) => void;
  /** Opens the "New room" dialog. */
  onCreate?: () => void;
  /** Opens the directory of public rooms. */
  onBrowse?: () => void;
}

export const RoomList = memo(function RoomList({
  rooms,
  currentRoomId,
  onSelect,
  onCreate,
  onBrowse,
}: RoomListProps) {
  const headingId = useId();
  return (
    <div className="rooms">
      <div className="rooms__header">
        <h2 className="sidebar__heading" id={headingId}>
          Rooms
        </h2>
        {onBrowse && (
          <IconButton label="Browse rooms" className="icon-button--small" onClick={onBrowse}>
            <SearchIcon />
          </IconButton>
        )}
        {onCreate && (
          <IconButton label="New room" className="icon-button--small" onClick={onCreate}>
            <PlusIcon />
          </IconButton>
        )}
      </div>
      {/* Only the rooms themselves in the navigation: its buttons are the rooms, in order. */}
      <nav aria-labelledby={headingId}>
        <ul className="rooms__list">
          {rooms.map((room) => (
            <li key={room.id}>
              <RoomButton room={room} current={room.id === currentRoomId} onSelect={onSelect} />
            </li>
          ))}
        </ul>
      </nav>
    </div>
  );
});

/** The sign in a room's avatar: "#" for General and public groups, a lock for private ones. */
export function roomSymbol(room: Pick<RoomItem, 'kind' | 'visibility'>) {
  if (room.kind === 'general') return '#';
  if (room.kind === 'group') return room.visibility === 'private' ? <LockIcon /> : '#';
  return undefined;
}

function RoomButton({
  room,
  current,
  onSelect,
}: {
  room: RoomItem;
  current: boolean;
  onSelect: (roomId: string) => void;
}) {
  return (
    <button
      type="button"
      className={`room${current ? ' room--current' : ''}${room.unread > 0 ? ' room--unread' : ''}`}
      aria-current={current ? 'page' : undefined}
      onClick={() => onSelect(room.id)}
    >
      <Avatar
        id={room.partnerId ?? `room-${room.id}`}
        name={room.title}
        symbol={roomSymbol(room)}
        online={room.online ?? undefined}
      />
      <span className="room__body">
        <span className="room__top">
          <span className="room__name">{room.title}</span>
          {room.visibility === 'private' && <span className="visually-hidden">, private room</span>}
          {room.online !== null && (
            <span className="visually-hidden">{room.online ? ', online' : ', offline'}</span>
          )}
          {room.lastDate !== null && (
            <span className="room__time">{formatListTime(room.lastDate)}</span>
          )}
        </span>
        <span className="room__bottom">
          <span className="room__preview">{room.preview}</span>
          {room.mentions > 0 && (
            <span
              className="badge badge--mention"
              title={`${room.mentions} unread ${room.mentions === 1 ? 'mention' : 'mentions'}`}
            >
              @
              <span className="visually-hidden">
                {' '}
                {room.mentions} {room.mentions === 1 ? 'mention' : 'mentions'}
              </span>
            </span>
          )}
          {room.unread > 0 && (
            <span className="badge">
              {room.unread > 99 ? '99+' : room.unread}
              <span className="visually-hidden"> unread</span>
            </span>
          )}
        </span>
      </span>
    </button>
  );
}
