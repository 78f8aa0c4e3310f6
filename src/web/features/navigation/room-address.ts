/**
 * The open room lives in the page's address (`#room=2:5`), so a reload, or a link kept from
 * yesterday, shows the same room. General has no fragment: it is where every visit starts.
 */
import { GENERAL_ROOM_ID } from '../../../protocol/index.js';

const PREFIX = '#room=';

/** The room named by an address fragment, or null when there is none (or it is garbled). */
export function roomIdFromHash(hash: string): string | null {
  if (!hash.startsWith(PREFIX)) return null;
  try {
    const roomId = decodeURIComponent(hash.slice(PREFIX.length));
    return roomId === '' ? null : roomId;
  } catch {
    return null;
  }
}

export function hashOfRoom(roomId: string): string {
  return roomId === GENERAL_ROOM_ID ? '' : PREFIX + encodeURIComponent(roomId);
}

/** Points the address at a room without adding a history entry for each room visited. */
export function showRoomInAddress(roomId: string): void {
  const hash = hashOfRoom(roomId);
  if (window.location.hash === hash) return;
  const { pathname, search } = window.location;
  window.history.replaceState(window.history.state, '', `${pathname}${search}${hash}`);
}
