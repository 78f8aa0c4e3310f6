/**
 * The signed-in gate: shows the sign-in screen or the chat, and goes back to sign-in when the
 * session ends (logout, expiry, or a 401 from any request). A password an administrator reset
 * is changed before the chat opens.
 */
import { api } from '../core/transport/index.js';
import { ChangePasswordDialog, LoginScreen, useSession } from '../features/auth/index.js';
import { ChatScreen } from './ChatScreen.js';
import { ChatSessionProvider } from './ChatSessionProvider.js';

export function App() {
  const { session, signedIn, endSession, logout, signedOutEverywhere, passwordChanged } =
    useSession();

  if (session.status === 'loading') {
    return (
      <div className="splash" role="status">
        Loading…
      </div>
    );
  }
  if (session.status === 'signed-out') {
    return <LoginScreen notice={session.notice} onSignedIn={signedIn} />;
  }
  if (session.user.mustChangePassword) {
    return (
      <ChangePasswordDialog
        changePassword={api.changePassword}
        onClose={passwordChanged}
        required={{ onSignOut: logout }}
      />
    );
  }
  return (
    <ChatSessionProvider key={session.user.id} me={session.user} onSessionEnded={endSession}>
      <ChatScreen onLogout={logout} onSignedOutEverywhere={signedOutEverywhere} />
    </ChatSessionProvider>
  );
}
