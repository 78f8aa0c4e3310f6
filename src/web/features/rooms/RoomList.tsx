/** The rooms on the left: General first, then private rooms by latest activity. */
import { memo, useId } from 'react';
import { GENERAL_ROOM_ID } from '../../../protocol/index.js';
import { formatListTime } from '../../lib/format.js';
import { Avatar } from '../presence/Avatar.js';
import type { RoomItem } from './room-items.js';

export interface RoomListProps {
  rooms: RoomItem[];
  currentRoomId: string;
  onSelect: (roomId: string) => void;
}

export const RoomList = memo(function RoomList({ rooms, currentRoomId, onSelect }: RoomListProps) {
  const headingId = useId();
  return (
    <nav className="rooms" aria-labelledby={headingId}>
      <h2 className="sidebar__heading" id={headingId}>
        Rooms
      </h2>
      <ul className="rooms__list">
        {rooms.map((room) => (
          <li key={room.id}>
            <RoomButton room={room} current={room.id === currentRoomId} onSelect={onSelect} />
          </li>
        ))}
      </ul>
    </nav>
  );
});

function RoomButton({
  room,
  current,
  onSelect,
}: {
  room: RoomItem;
  current: boolean;
  onSelect: (roomId: string) => void;
}) {
  const general = room.id === GENERAL_ROOM_ID;
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
        symbol={general ? '#' : undefined}
        online={room.online ?? undefined}
      />
      <span className="room__body">
        <span className="room__top">
          <span className="room__name">{room.title}</span>
          {room.online !== null && (
            <span className="visually-hidden">{room.online ? ', online' : ', offline'}</span>
          )}
          {room.lastDate !== null && (
            <span className="room__time">{formatListTime(room.lastDate)}</span>
          )}
        </span>
        <span className="room__bottom">
          <span className="room__preview">{room.preview}</span>
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
