/** Creating a group room: a name (1–40 characters, unique ignoring case) and who can find it. */
import { useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { ROOM_NAME_MAX_LENGTH, type RoomVisibility } from '../../../protocol/index.js';
import { Dialog } from '../../core/ui/index.js';
import { asSentence } from '../../core/lib/format.js';

const VISIBILITIES: { value: RoomVisibility; label: string; hint: string }[] = [
  { value: 'public', label: 'Public', hint: 'Anyone can find it in the directory and join.' },
  { value: 'private', label: 'Private', hint: 'Only members see it; they invite others.' },
];

export interface NewRoomDialogProps {
  /** Rejects with the server's reason (taken name, invalid name…). */
  onCreate: (name: string, visibility: RoomVisibility) => Promise<unknown>;
  onClose: () => void;
}

/** The rule the server applies too, checked here first so the common mistakes need no round trip. */
export function roomNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed.length === 0) return 'Give the room a name.';
  if (trimmed.length > ROOM_NAME_MAX_LENGTH) {
    return `Room names have at most ${ROOM_NAME_MAX_LENGTH} characters (this one has ${trimmed.length}).`;
  }
  return null;
}

export function NewRoomDialog({ onCreate, onClose }: NewRoomDialogProps) {
  const [name, setName] = useState('');
  const [visibility, setVisibility] = useState<RoomVisibility>('public');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const nameId = useId();
  const errorId = useId();
  const hintId = useId();
  const nameInput = useRef<HTMLInputElement>(null);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const problem = roomNameProblem(name);
    if (problem) {
      setError(problem);
      nameInput.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    onCreate(name.trim(), visibility).then(onClose, (reason: unknown) => {
      setBusy(false);
      setError(asSentence(reason instanceof Error ? reason.message : 'The room was not created.'));
      // Back to the name, most likely what needs changing (the busy button lost the focus).
      nameInput.current?.focus();
    });
  };

  return (
    <Dialog label="New room" onClose={onClose}>
      <form className="dialog__form" onSubmit={submit} noValidate>
        <div className="field">
          <label className="field__label" htmlFor={nameId}>
            Room name
          </label>
          <input
            ref={nameInput}
            id={nameId}
            value={name}
            onChange={(event) => {
              setName(event.target.value);
              setError(null);
            }}
            placeholder="e.g. design-team"
            autoComplete="off"
            aria-invalid={error !== null}
            aria-describedby={error ? errorId : undefined}
            data-autofocus
          />
        </div>
        <fieldset className="choice">
          <legend className="field__label">Visibility</legend>
          {VISIBILITIES.map(({ value, label, hint }) => (
            <label className="choice__option" key={value}>
              <input
                type="radio"
                name="visibility"
                value={value}
                checked={visibility === value}
                onChange={() => setVisibility(value)}
                aria-describedby={`${hintId}-${value}`}
              />
              <span>
                <span className="choice__label">{label}</span>
                <span className="choice__hint" id={`${hintId}-${value}`}>
                  {hint}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
        {error && (
          <p className="dialog__error" id={errorId} role="alert">
            {error}
          </p>
        )}
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create room'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
