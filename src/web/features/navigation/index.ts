/** Which room is open, and the page's address that names it. */
export {
  initialOpenRoomState,
  openRoomAfterListing,
  openRoomReducer,
  selectOpenRoomId,
  selectOpening,
  selectOpeningRoomId,
  useOpenRoomId,
  useOpening,
  type NavigationAction,
  type OpenRoomState,
  type WithOpenRoom,
} from './open-room-slice.js';
export { roomIdFromHash } from './room-address.js';
export { useRoomInAddress } from './use-room-in-address.js';
