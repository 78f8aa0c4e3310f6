/**
 * What the user wants to be told about: the rooms they muted (which still count unread in their
 * own row, but neither notify nor count in the page's title and icon), and this device's choices
 * (desktop notifications, a sound) with the browser's permission.
 */
import { shallowEqual, useSelector } from '../../core/store/index.js';
import type { WithUnread } from '../reads/index.js';

/** The browser's answer about notifications, or 'unsupported' where there is no Notification API. */
export type NotificationAccess = NotificationPermission | 'unsupported';

/**
 * The offer to turn notifications on: not before the user has sent a message (asking on load is
 * what people dismiss), then until they accept or say "not now".
 */
export type OfferState = 'not-yet' | 'shown' | 'done';

export interface NotificationsState {
  /** Muted room ids, sorted. */
  muted: readonly string[];
  /** Desktop notifications on this device (when the browser allows them). */
  desktop: boolean;
  /** A short sound for mentions and private messages; off unless chosen. */
  sound: boolean;
  access: NotificationAccess;
  offer: OfferState;
}

export interface WithNotifications {
  notifications: NotificationsState;
}

export type NotificationsAction =
  /** The muted rooms as stored (at start, or changed on another tab or device). */
  | { type: 'notifications.muted-listed'; roomIds: readonly string[] }
  | { type: 'notifications.mute-changed'; roomId: string; muted: boolean }
  | { type: 'notifications.settings-changed'; desktop?: boolean; sound?: boolean }
  | { type: 'notifications.access-changed'; access: NotificationAccess }
  | { type: 'notifications.offer-changed'; offer: OfferState };

export function initialNotificationsState(
  settings: Partial<Pick<NotificationsState, 'desktop' | 'sound' | 'access' | 'offer'>> = {},
): NotificationsState {
  return {
    muted: [],
    desktop: true,
    sound: false,
    access: 'unsupported',
    offer: 'not-yet',
    ...settings,
  };
}

const sortedIds = (ids: Iterable<string>) => [...new Set(ids)].sort();

export function notificationsReducer(
  slice: NotificationsState,
  action: NotificationsAction,
): NotificationsState {
  switch (action.type) {
    case 'notifications.muted-listed': {
      const muted = sortedIds(action.roomIds);
      return shallowEqual(muted, slice.muted) ? slice : { ...slice, muted };
    }
    case 'notifications.mute-changed': {
      if (slice.muted.includes(action.roomId) === action.muted) return slice;
      const muted = action.muted
        ? sortedIds([...slice.muted, action.roomId])
        : slice.muted.filter((id) => id !== action.roomId);
      return { ...slice, muted };
    }
    case 'notifications.settings-changed':
      return {
        ...slice,
        desktop: action.desktop ?? slice.desktop,
        sound: action.sound ?? slice.sound,
      };
    case 'notifications.access-changed':
      return action.access === slice.access ? slice : { ...slice, access: action.access };
    case 'notifications.offer-changed':
      return action.offer === slice.offer ? slice : { ...slice, offer: action.offer };
    default:
      return slice;
  }
}

export const selectIsMuted = (state: WithNotifications, roomId: string): boolean =>
  state.notifications.muted.includes(roomId);

/** Unread messages in the rooms that are not muted: the number in the title and the icon. */
export function selectAttentionTotal(state: WithNotifications & WithUnread): number {
  const { muted } = state.notifications;
  let total = 0;
  for (const [roomId, count] of Object.entries(state.unread)) {
    if (!muted.includes(roomId)) total += count.messages;
  }
  return total;
}

export const useIsMuted = (roomId: string) =>
  useSelector((state: WithNotifications) => selectIsMuted(state, roomId));

export const useAttentionTotal = () => useSelector(selectAttentionTotal);

export const useMutedRoomIds = () =>
  useSelector((state: WithNotifications) => state.notifications.muted, shallowEqual);

export const useNotificationSettings = () =>
  useSelector(
    ({ notifications: { desktop, sound, access, offer } }: WithNotifications) => ({
      desktop,
      sound,
      access,
      offer,
    }),
    shallowEqual,
  );
