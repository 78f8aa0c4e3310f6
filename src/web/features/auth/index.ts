/** Signing in and who is signed in; the account menu (password, signing out everywhere). */
export { AccountMenu, type AccountMenuProps } from './AccountMenu.js';
export { ChangePasswordDialog } from './ChangePasswordDialog.js';
export { LoginScreen, DEMO_PASSWORD, DEMO_USERS, type LoginScreenProps } from './LoginScreen.js';
export {
  initialSessionState,
  selectMe,
  sessionReducer,
  useIsAdmin,
  useMe,
  type SessionState,
  type WithSession,
} from './session-slice.js';
export { useSession, type Session } from './use-session.js';
