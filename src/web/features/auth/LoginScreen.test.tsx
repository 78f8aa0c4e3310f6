import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../core/transport/index.js';
import { LoginScreen } from './LoginScreen.js';

async function signIn(username: string, password: string) {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText('Name'), username);
  await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('LoginScreen', () => {
  it('signs in and hands the user over', async () => {
    const login = vi
      .fn()
      .mockResolvedValue({ user: { id: '7', username: 'Zoe' }, registered: true });
    const onSignedIn = vi.fn();
    render(<LoginScreen login={login} onSignedIn={onSignedIn} />);
    await signIn(' Zoe ', 'secret');
    expect(login).toHaveBeenCalledWith('Zoe', 'secret');
    expect(onSignedIn).toHaveBeenCalledWith({ id: '7', username: 'Zoe' });
  });

  it('says the password is wrong on invalid_credentials', async () => {
    const login = vi
      .fn()
      .mockRejectedValue(new ApiError(401, 'invalid_credentials', 'wrong username or password'));
    render(<LoginScreen login={login} onSignedIn={vi.fn()} />);
    await signIn('Pablo', 'nope');
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong password for “Pablo”');
    expect(screen.getByLabelText('Password')).toHaveAttribute('aria-invalid', 'true');
  });

  it("shows the server's reason for an invalid name", async () => {
    const reason = 'username must be 1–32 characters of letters, digits, ".", "_" or "-"';
    const login = vi.fn().mockRejectedValue(new ApiError(400, 'bad_request', reason));
    render(<LoginScreen login={login} onSignedIn={vi.fn()} />);
    await signIn('no spaces allowed', 'x');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Username must be 1–32 characters of letters, digits, ".", "_" or "-".',
    );
  });

  it('tells how long to wait when rate limited', async () => {
    const login = vi
      .fn()
      .mockRejectedValue(new ApiError(429, 'rate_limited', 'too many failed sign-ins', 120));
    render(<LoginScreen login={login} onSignedIn={vi.fn()} />);
    await signIn('Pablo', 'again');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Too many failed sign-ins. Try again in 2 minutes.',
    );
  });

  it('asks for both fields before calling the server', async () => {
    const login = vi.fn();
    render(<LoginScreen login={login} onSignedIn={vi.fn()} />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Enter a name and a password.');
    expect(login).not.toHaveBeenCalled();
  });

  it('shows the demo accounts and fills one in', async () => {
    render(<LoginScreen login={vi.fn()} onSignedIn={vi.fn()} />);
    expect(screen.getByText(/Demo accounts/)).toHaveTextContent('password123');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Use demo account Mary' }));
    expect(screen.getByLabelText('Name')).toHaveValue('Mary');
    expect(screen.getByLabelText('Password')).toHaveValue('password123');
  });
});
