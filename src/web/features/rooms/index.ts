/**
 * The rooms the user is in: the room list, the open room's header, the directory, new rooms,
 * members and invitations, private chats.
 */
export { RoomActions, type RoomActionsProps } from './RoomActions.js';
export { RoomDialog, type RoomDialogName, type RoomDialogProps } from './RoomDialog.js';
export { RoomHeading } from './RoomHeading.js';
export { RoomList, roomSymbol, type RoomListProps } from './RoomList.js';
export { RoomsActionsProvider, useRoomsActions } from './rooms-context.js';
export { RoomsEffects, type RoomsStore } from './rooms-effects.js';
export {
  initialRoomsState,
  roomsReducer,
  type RoomEntry,
  type RoomsState,
  type WithRooms,
} from './rooms-slice.js';
export {
  kindOfRoom,
  partnerOf,
  roomTitle,
  selectMembers,
  selectMentionable,
  selectRoomHeading,
  selectRoomIdsInOrder,
  selectRoomItem,
  useMembers,
  useMentionable,
  useRoomHeading,
  useRoomIdsInOrder,
  useRoomItem,
  type RoomHeadingInfo,
  type RoomItem,
} from './room-selectors.js';
