/**
 * Notifications: desktop notifications for mentions and private messages while the tab is hidden,
 * an optional sound, the unread total in the page's title and icon, and per-room mute (muted rooms
 * count unread in their row but neither notify nor count in the total).
 */
export { AttentionIndicators } from './AttentionIndicators.js';
export { playChime, prepareChime } from './chime.js';
export { browserNotifier, type DesktopNotice, type DesktopNotifier } from './desktop-notifier.js';
export {
  localDeviceSettings,
  type DeviceSettings,
  type DeviceSettingsStore,
} from './device-settings.js';
export { badgeText, iconWithBadge } from './favicon.js';
export { MuteButton } from './MuteButton.js';
export { localMutedRooms, serverMutedRooms, type MutedRoomsStore } from './muted-rooms.js';
export { NotificationOffer } from './NotificationOffer.js';
export { NotificationSettingsButton } from './NotificationSettings.js';
export { NotificationsActionsProvider, useNotificationsActions } from './notifications-context.js';
export {
  NotificationsEffects,
  type NotificationsOptions,
  type NotificationsStore,
} from './notifications-effects.js';
export {
  initialNotificationsState,
  notificationsReducer,
  selectAttentionTotal,
  selectIsMuted,
  useAttentionTotal,
  useIsMuted,
  useMutedRoomIds,
  useNotificationSettings,
  type NotificationAccess,
  type OfferState,
  type NotificationsAction,
  type NotificationsState,
  type WithNotifications,
} from './notifications-slice.js';
