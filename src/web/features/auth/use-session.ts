/**
 * The signed-in gate's state: asks the server who we are, and goes back to sign-in when the
 * session ends (logout, expiry, or a 401 from any request).
 */
import { useCallback, useEffect, useState } from 'react';
import type { CurrentUser } from '../../../protocol/index.js';
import { api, setUnauthenticatedHandler } from '../../core/transport/index.js';

export type Session =
  | { status: 'loading' }
  | { status: 'signed-out'; notice: string | null }
  | { status: 'signed-in'; user: CurrentUser };

const SESSION_ENDED = 'Your session has ended. Please sign in again.';
const SIGNED_OUT_EVERYWHERE = 'You are signed out on every device.';

export function useSession() {
  const [session, setSession] = useState<Session>({ status: 'loading' });

  useEffect(() => {
    let cancelled = false;
    api.me().then(
      (user) => {
        if (!cancelled)
          setSession(user ? { status: 'signed-in', user } : { status: 'signed-out', notice: null });
      },
      () => {
        if (!cancelled) {
          setSession({ status: 'signed-out', notice: 'The server cannot be reached right now.' });
        }
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);

  // Only a live session can end: a request still in flight after a logout may answer 401 too.
  const endSession = useCallback(
    () =>
      setSession((current) =>
        current.status === 'signed-in' ? { status: 'signed-out', notice: SESSION_ENDED } : current,
      ),
    [],
  );

  useEffect(() => {
    setUnauthenticatedHandler(endSession);
    return () => setUnauthenticatedHandler(null);
  }, [endSession]);

  const logout = useCallback(() => {
    setSession({ status: 'signed-out', notice: null });
    // The screen is gone already; a failed request leaves a session that expires on its own.
    api.logout().catch(() => undefined);
  }, []);

  /** After every session of the user ended (signed out everywhere from here). */
  const signedOutEverywhere = useCallback(
    () => setSession({ status: 'signed-out', notice: SIGNED_OUT_EVERYWHERE }),
    [],
  );

  const signedIn = useCallback(
    (user: CurrentUser) => setSession({ status: 'signed-in', user }),
    [],
  );

  /** The password an administrator reset is changed: the chat may open. */
  const passwordChanged = useCallback(
    () =>
      setSession((current) =>
        current.status === 'signed-in'
          ? { status: 'signed-in', user: { ...current.user, mustChangePassword: false } }
          : current,
      ),
    [],
  );

  return { session, signedIn, endSession, logout, signedOutEverywhere, passwordChanged };
}
