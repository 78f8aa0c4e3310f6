/**
 * The rooms on the left: General first, then the others by latest activity, with their unread and
 * mention badges; above them, the actions to create a room and to browse the directory.
 */
import { memo, useId } from 'react';
import { formatListTime } from '../../core/lib/format.js';
import { Avatar, IconButton, LockIcon, PlusIcon, SearchIcon } from '../../core/ui/index.js';
import { useOpenRoomId } from '../navigation/index.js';
import { useUnread, type UnreadCount } from '../reads/index.js';
import { useRoomIdsInOrder, useRoomItem, type RoomItem } from './room-selectors.js';

export interface RoomListProps {
  onSelect: (roomId: string) => void;
  /** Opens the "New room" dialog. */
  onCreate?: () => void;
  /** Opens the directory of public rooms. */
  onBrowse?: () => void;
}

/**
 * The list itself redraws only when rooms come, go or change places; each row selects its own
 * room, so a message in one room redraws that room's row alone.
 */
export const RoomList = memo(function RoomList({ onSelect, onCreate, onBrowse }: RoomListProps) {
  const roomIds = useRoomIdsInOrder();
  const currentRoomId = useOpenRoomId();
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
          {roomIds.map((roomId) => (
            <li key={roomId}>
              <RoomRow roomId={roomId} current={roomId === currentRoomId} onSelect={onSelect} />
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

const RoomRow = memo(function RoomRow({
  roomId,
  current,
  onSelect,
}: {
  roomId: string;
  current: boolean;
  onSelect: (roomId: string) => void;
}) {
  const room = useRoomItem(roomId);
  const unread = useUnread(roomId);
  return room && <RoomButton room={room} unread={unread} current={current} onSelect={onSelect} />;
});

function RoomButton({
  room,
  unread: { messages: unread, mentions },
  current,
  onSelect,
}: {
  room: RoomItem;
  unread: UnreadCount;
  current: boolean;
  onSelect: (roomId: string) => void;
}) {
  return (
    <button
      type="button"
      className={`room${current ? ' room--current' : ''}${unread > 0 ? ' room--unread' : ''}`}
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
          <bdi className="room__name">{room.title}</bdi>
          {room.visibility === 'private' && <span className="visually-hidden">, private room</span>}
          {room.online !== null && (
            <span className="visually-hidden">{room.online ? ', online' : ', offline'}</span>
          )}
          {room.lastDate !== null && (
            <span className="room__time">{formatListTime(room.lastDate)}</span>
          )}
        </span>
        <span className="room__bottom">
          <bdi className="room__preview">{room.preview}</bdi>
          {mentions > 0 && (
            <span
              className="badge badge--mention"
              title={`${mentions} unread ${mentions === 1 ? 'mention' : 'mentions'}`}
            >
              @
              <span className="visually-hidden">
                {' '}
                {mentions} {mentions === 1 ? 'mention' : 'mentions'}
              </span>
            </span>
          )}
          {unread > 0 && (
            <span className="badge">
              {unread > 99 ? '99+' : unread}
              <span className="visually-hidden"> unread</span>
            </span>
          )}
        </span>
      </span>
    </button>
  );
}
