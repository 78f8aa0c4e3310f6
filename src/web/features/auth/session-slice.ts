/** Who is signed in: fixed for the life of a chat screen (signing in again builds a new one). */
import type { SessionUser } from '../../../protocol/index.js';
import { useSelector } from '../../core/store/index.js';

export interface SessionState {
  me: SessionUser;
}

export interface WithSession {
  session: SessionState;
}

export const selectMe = (state: WithSession): SessionUser => state.session.me;

export const initialSessionState = (me: SessionUser): SessionState => ({ me });

/** Nothing changes the signed-in user while the screen lives. */
export const sessionReducer = (slice: SessionState): SessionState => slice;

export const useMe = (): SessionUser => useSelector(selectMe);
