/**
 * The signed-in gate: shows the sign-in screen or the chat, and goes back to sign-in when the
 * session ends (logout, expiry, or a 401 from any request).
 */
import { LoginScreen, useSession } from '../features/auth/index.js';
import { ChatScreen } from './ChatScreen.js';
import { ChatSessionProvider } from './ChatSessionProvider.js';

export function App() {
  const { session, signedIn, endSession, logout, signedOutEverywhere } = useSession();

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
  return (
    <ChatSessionProvider key={session.user.id} me={session.user} onSessionEnded={endSession}>
      <ChatScreen onLogout={logout} onSignedOutEverywhere={signedOutEverywhere} />
    </ChatSessionProvider>
  );
}
