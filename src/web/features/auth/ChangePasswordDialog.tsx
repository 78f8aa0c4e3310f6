/**
 * Changing the password: the current one (the server checks it), the new one twice (checked
 * here). On success every other device is signed out, and the dialog says so.
 */
import { useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { PASSWORD_MAX_BYTES } from '../../../protocol/index.js';
import { Dialog } from '../../core/ui/index.js';
import { accountErrorMessage } from './login-errors.js';

export interface ChangePasswordDialogProps {
  /** Rejects with the server's refusal (wrong current password, too many changes). */
  changePassword: (current: string, password: string) => Promise<unknown>;
  /** After the change, or on Cancel unless `required`. */
  onClose: () => void;
  /**
   * Set when an administrator reset the password: the change comes before anything else, so
   * the form says why, and its way out signs out instead of going back to the chat.
   */
  required?: { onSignOut: () => void };
}

const utf8 = new TextEncoder();

/** What is wrong with the form before anything is sent, or null. */
export function newPasswordProblem(current: string, password: string, repeated: string) {
  if (!current) return 'Enter your current password.';
  if (!password) return 'Enter a new password.';
  if (utf8.encode(password).byteLength > PASSWORD_MAX_BYTES) {
    return `The new password is too long: at most ${PASSWORD_MAX_BYTES} bytes.`;
  }
  if (password !== repeated) return 'The two new passwords are not the same.';
  return null;
}

export function ChangePasswordDialog({
  changePassword,
  onClose,
  required,
}: ChangePasswordDialogProps) {
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const errorId = useId();
  const currentInput = useRef<HTMLInputElement>(null);
  const doneButton = useRef<HTMLButtonElement>(null);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const problem = newPasswordProblem(current, password, repeated);
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    changePassword(current, password).then(
      () => {
        setDone(true);
        // The form is gone: the focus goes to the one button left.
        requestAnimationFrame(() => doneButton.current?.focus());
      },
      (reason: unknown) => {
        setBusy(false);
        setError(accountErrorMessage(reason));
        currentInput.current?.focus();
      },
    );
  };

  if (done) {
    return (
      <Dialog label="Change password" onClose={onClose}>
        <p className="dialog__done" role="status">
          Your password is changed. Every other device was signed out.
        </p>
        <div className="dialog__actions">
          <button ref={doneButton} type="button" className="button" onClick={onClose}>
            Done
          </button>
        </div>
      </Dialog>
    );
  }

  const invalid = error !== null;
  const described = invalid ? errorId : undefined;
  const leave = required ? required.onSignOut : onClose;
  return (
    <Dialog label="Change password" onClose={leave}>
      <form className="dialog__form" onSubmit={submit} noValidate>
        {required && (
          <p className="dialog__text">
            An administrator reset your password. Choose your own before you go on: the current
            password is the one you were given.
          </p>
        )}
        <label className="field">
          <span className="field__label">Current password</span>
          <input
            ref={currentInput}
            type="password"
            name="current-password"
            autoComplete="current-password"
            value={current}
            onChange={(event) => setCurrent(event.target.value)}
            aria-invalid={invalid}
            aria-describedby={described}
            data-autofocus
          />
        </label>
        <label className="field">
          <span className="field__label">New password</span>
          <input
            type="password"
            name="new-password"
            autoComplete="new-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            aria-invalid={invalid}
            aria-describedby={described}
          />
        </label>
        <label className="field">
          <span className="field__label">New password again</span>
          <input
            type="password"
            name="repeat-password"
            autoComplete="new-password"
            value={repeated}
            onChange={(event) => setRepeated(event.target.value)}
            aria-invalid={invalid}
            aria-describedby={described}
          />
        </label>
        <p className="dialog__text">Every other device signed in to your account is signed out.</p>
        {error && (
          <p className="dialog__error" id={errorId} role="alert">
            {error}
          </p>
        )}
        <div className="dialog__actions">
          <button type="button" className="button" onClick={leave}>
            {required ? 'Sign out' : 'Cancel'}
          </button>
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Changing…' : 'Change password'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
