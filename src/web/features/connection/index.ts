/** The live connection's status, its banner, and catching up after a reconnect. */
export {
  BACK_ONLINE_SHOWN_MS,
  ConnectionBanner,
  connectionLabel,
  type ConnectionBannerProps,
} from './ConnectionBanner.js';
export {
  ConnectionEffects,
  type ConnectionEffectsOptions,
  type ConnectionStore,
} from './connection-effects.js';
export {
  connectionReducer,
  initialConnectionState,
  selectConnectionStatus,
  selectReconnectedAt,
  useConnectionStatus,
  useReconnectedAt,
  type ConnectionAction,
  type ConnectionState,
  type ConnectionStatus,
  type WithConnection,
} from './connection-slice.js';
export { ConnectionStatusBanner } from './ConnectionStatusBanner.js';
export { MyStatus } from './MyStatus.js';
