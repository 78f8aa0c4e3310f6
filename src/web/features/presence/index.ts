/** Who exists and who is online: the users slice, presence events, the online list. */
export { OnlineUsers, type OnlineUsersProps } from './OnlineUsers.js';
export { PresenceEffects, type PresenceStore } from './presence-effects.js';
export {
  initialUsersState,
  isPresenceChange,
  selectOnlineOthers,
  selectUser,
  useOnlineOthers,
  useOnlineOthersCount,
  useUser,
  usersReducer,
  type PresenceAction,
  type UsersState,
  type WithUsers,
} from './users-slice.js';
