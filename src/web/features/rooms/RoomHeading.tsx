/** The open room in the header: its avatar, its name, and who is there (or whether they are online). */
import { GENERAL_ROOM_ID } from '../../../protocol/index.js';
import { countOf } from '../../core/lib/format.js';
import { Avatar } from '../../core/ui/index.js';
import { useOnlineOthersCount, useUser } from '../presence/index.js';
import { roomSymbol } from './RoomList.js';
import { useMembers, useRoomHeading } from './room-selectors.js';

export function RoomHeading({ roomId }: { roomId: string }) {
  const { title, kind, visibility, partnerId } = useRoomHeading(roomId);
  const partner = useUser(partnerId);
  const members = useMembers(roomId);
  const othersOnline = useOnlineOthersCount();

  let subtitle: string;
  if (partnerId) subtitle = partner?.online ? 'online' : 'offline';
  else if (roomId === GENERAL_ROOM_ID) {
    subtitle = `${othersOnline + 1} online`;
  } else {
    const sort = visibility === 'private' ? 'Private room' : 'Public room';
    subtitle = members ? `${sort} · ${countOf(members.length, 'member')}` : sort;
  }

  return (
    <>
      <Avatar
        id={partnerId ?? `room-${roomId}`}
        name={title}
        symbol={roomSymbol({ kind, visibility })}
        online={partnerId ? (partner?.online ?? false) : undefined}
      />
      <div className="conversation__title">
        <h1>
          <bdi>{title}</bdi>
        </h1>
        <p>{subtitle}</p>
      </div>
    </>
  );
}
