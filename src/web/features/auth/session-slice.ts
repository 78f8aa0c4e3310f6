/** Who is signed in: fixed for the life of a chat screen (signing in again builds a new one). */
import type { SessionUser } from '../../../protocol/index.js';
import { useSelector } from '../../core/store/index.js';

export interface SessionState {
  /** The sign-in's answer: `admin` says whether the user administers (absent: does not). */
  me: SessionUser & { admin?: boolean };
}

export interface WithSession {
  session: SessionState;
}

export const selectMe = (state: WithSession): SessionUser => state.session.me;

export const initialSessionState = (me: SessionState['me']): SessionState => ({ me });

/** Nothing changes the signed-in user while the screen lives. */
export const sessionReducer = (slice: SessionState): SessionState => slice;

export const useMe = (): SessionUser => useSelector(selectMe);

/** Whether the signed-in user is an administrator (ADMIN_USERS): the Ban action shows then. */
export const selectIsAdmin = (state: WithSession): boolean => state.session.me.admin === true;
export const useIsAdmin = (): boolean => useSelector(selectIsAdmin);
