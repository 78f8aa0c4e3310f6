import { useEffect } from 'react';
import { showRoomInAddress } from './room-address.js';
import { useOpenRoomId, useOpening } from './open-room-slice.js';

/** The address follows the open room (once the one it asked for at start is settled). */
export function useRoomInAddress(): void {
  const roomId = useOpenRoomId();
  const opening = useOpening();
  useEffect(() => {
    if (!opening) showRoomInAddress(roomId);
  }, [opening, roomId]);
}
