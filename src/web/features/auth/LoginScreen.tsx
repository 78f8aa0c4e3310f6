/**
 * Sign-in doubles as registration: an unknown name with a password creates the account. Errors
 * show the server's reason (wrong password, invalid name, too many attempts) next to the form.
 */
import { useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import { USERNAME_MAX_LENGTH, type CurrentUser } from '../../../protocol/index.js';
import { api, type LoginResult } from '../../core/transport/index.js';
import { loginErrorMessage } from './login-errors.js';

export const DEMO_USERS = ['Pablo', 'Joe', 'Mary', 'Alex'] as const;
export const DEMO_PASSWORD = 'password123';

export interface LoginScreenProps {
  onSignedIn: (user: CurrentUser) => void;
  /** Why the user is here again (session ended, server unreachable). */
  notice?: string | null;
  login?: (username: string, password: string) => Promise<LoginResult>;
}

export function LoginScreen({ onSignedIn, notice = null, login = api.login }: LoginScreenProps) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errorId = useId();
  const hintId = useId();

  useEffect(() => {
    document.title = 'Sign in · Redis Chat';
  }, []);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = username.trim();
    if (!name || !password) {
      setError('Enter a name and a password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { user } = await login(name, password);
      onSignedIn(user);
    } catch (failure) {
      setError(loginErrorMessage(failure, name));
      setBusy(false);
    }
  };

  const fillDemo = (name: string) => {
    setUsername(name);
    setPassword(DEMO_PASSWORD);
    setError(null);
  };

  return (
    <main className="login">
      <div className="login__card">
        <div className="login__brand">
          <svg className="login__logo" viewBox="0 0 32 32" aria-hidden="true">
            <rect width="32" height="32" rx="9" fill="currentColor" />
            <path
              d="M8 11a3 3 0 0 1 3-3h10a3 3 0 0 1 3 3v7a3 3 0 0 1-3 3h-6l-5 4v-4.2A3 3 0 0 1 8 18z"
              fill="#fff"
            />
          </svg>
          <h1>Redis Chat</h1>
        </div>
        <p className="login__lead">
          Sign in, or pick a new name and password to create an account.
        </p>

        {notice && !error && (
          <p className="login__notice" role="status">
            {notice}
          </p>
        )}

        <form className="login__form" onSubmit={submit} noValidate aria-describedby={hintId}>
          <label className="field">
            <span className="field__label">Name</span>
            <input
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              maxLength={USERNAME_MAX_LENGTH * 2}
              value={username}
              onChange={(event) => setUsername(event.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? errorId : undefined}
              autoFocus
            />
          </label>
          <label className="field">
            <span className="field__label">Password</span>
            <input
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? errorId : undefined}
            />
          </label>
          {error && (
            <p id={errorId} className="login__error" role="alert">
              {error}
            </p>
          )}
          <button className="button button--primary" type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>

        <div className="login__demo" id={hintId}>
          <p>
            Demo accounts, password <code>{DEMO_PASSWORD}</code>:
          </p>
          <ul>
            {DEMO_USERS.map((name) => (
              <li key={name}>
                <button
                  type="button"
                  className="chip"
                  onClick={() => fillDemo(name)}
                  aria-label={`Use demo account ${name}`}
                >
                  {name}
                </button>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </main>
  );
}
