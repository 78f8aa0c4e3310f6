/**
 * Which room is open. At start it is General while the room the page's address asked for waits
 * (`opening`) until the room list says whether the user is in it; nothing is marked read
 * meanwhile, so a reload does not read General by accident.
 */
import { GENERAL_ROOM_ID, type RoomSummary } from '../../../protocol/index.js';
import type { ChatEvent } from '../../core/events.js';
import { useSelector } from '../../core/store/index.js';

export interface OpenRoomState {
  roomId: string;
  /** The address's room, until the room list settles it. */
  opening: string | null;
}

export interface WithOpenRoom {
  openRoom: OpenRoomState;
}

/** The room list could not be loaded: the address's room is given up for General. */
export type NavigationAction = { type: 'opening.abandoned' };

/** `addressRoomId`: the room the page's address names, if any. */
export function initialOpenRoomState(addressRoomId: string | null): OpenRoomState {
  return {
    roomId: GENERAL_ROOM_ID,
    opening: addressRoomId === GENERAL_ROOM_ID ? null : addressRoomId,
  };
}

/** The open room once the room list is in: the address's room if the user is in it. */
export function openRoomAfterListing(state: OpenRoomState, rooms: readonly RoomSummary[]): string {
  return state.opening && rooms.some((summary) => summary.id === state.opening)
    ? state.opening
    : state.roomId;
}

export function openRoomReducer(
  slice: OpenRoomState,
  action: ChatEvent | NavigationAction,
): OpenRoomState {
  switch (action.type) {
    case 'rooms.listed':
      return { roomId: openRoomAfterListing(slice, action.rooms), opening: null };
    case 'opening.abandoned':
      return slice.opening ? { ...slice, opening: null } : slice;
    case 'room.opened':
      return slice.roomId === action.roomId ? slice : { ...slice, roomId: action.roomId };
    case 'room.left':
      return slice.roomId === action.roomId && action.roomId !== GENERAL_ROOM_ID
        ? { ...slice, roomId: GENERAL_ROOM_ID }
        : slice;
    default:
      return slice;
  }
}

export const selectOpenRoomId = (state: WithOpenRoom): string => state.openRoom.roomId;
/** True until the address's room is settled. */
export const selectOpening = (state: WithOpenRoom): boolean => state.openRoom.opening !== null;
export const selectOpeningRoomId = (state: WithOpenRoom): string | null => state.openRoom.opening;

export const useOpenRoomId = (): string => useSelector(selectOpenRoomId);
export const useOpening = (): boolean => useSelector(selectOpening);
