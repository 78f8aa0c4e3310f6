/**
 * Inviting people to a group room by username. The server takes a user id: the names come from
 * General's member list, which is everyone, so no extra lookup route is needed.
 */
import { useId, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import type { SessionUser } from '../../../protocol/index.js';
import { Dialog } from '../../core/ui/index.js';
import { asSentence } from '../../core/lib/format.js';
import { filterMembers } from '../mentions/index.js';

export interface InviteDialogProps {
  title: string;
  /** Everyone who could be invited (null while loading). */
  people: SessionUser[] | null;
  /** Ids of the room's members, who need no invitation. */
  memberIds: ReadonlySet<string>;
  /** Rejects with the server's reason. */
  onInvite: (userId: string) => Promise<void>;
  onClose: () => void;
}

/** The person a typed name means: exact spelling first, then ignoring case. */
export function personNamed<T extends SessionUser>(people: readonly T[], name: string): T | null {
  const wanted = name.trim().replace(/^@/, '');
  return (
    people.find((person) => person.username === wanted) ??
    people.find((person) => person.username.toLowerCase() === wanted.toLowerCase()) ??
    null
  );
}

export function InviteDialog({ title, people, memberIds, onInvite, onClose }: InviteDialogProps) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputId = useId();

  const candidates = useMemo(
    () => (people ?? []).filter((person) => !memberIds.has(person.id)),
    [people, memberIds],
  );
  const suggestions = name.trim()
    ? filterMembers(candidates, name.trim().replace(/^@/, ''), 5)
    : [];

  const invite = (person: SessionUser) => {
    if (memberIds.has(person.id)) {
      setError(`${person.username} is already a member of ${title}.`);
      return;
    }
    setBusy(true);
    setError(null);
    setDone(null);
    onInvite(person.id).then(
      () => {
        setBusy(false);
        setName('');
        setDone(`${person.username} was added to ${title}.`);
      },
      (reason: unknown) => {
        setBusy(false);
        setError(asSentence(reason instanceof Error ? reason.message : 'The invitation failed'));
      },
    );
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy || !name.trim()) return;
    const person = personNamed(people ?? [], name);
    if (!person) {
      setError(`Nobody is called “${name.trim()}”.`);
      return;
    }
    invite(person);
  };

  return (
    <Dialog
      label={`Invite to ${title}`}
      title={
        <>
          Invite to <bdi>{title}</bdi>
        </>
      }
      onClose={onClose}
    >
      <form className="dialog__form" onSubmit={submit} noValidate>
        <div className="field">
          <label className="field__label" htmlFor={inputId}>
            Username
          </label>
          <input
            id={inputId}
            value={name}
            onChange={(event) => {
              setName(event.target.value);
              setError(null);
            }}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={error !== null}
            data-autofocus
          />
        </div>
        {suggestions.length > 0 && (
          <ul className="invite__suggestions" aria-label="Matching people">
            {suggestions.map((person) => (
              <li key={person.id}>
                <button
                  type="button"
                  className="chip"
                  onClick={() => invite(person)}
                  disabled={busy}
                  aria-label={`Invite ${person.username}`}
                >
                  {person.username}
                </button>
              </li>
            ))}
          </ul>
        )}
        {error && (
          <p className="dialog__error" role="alert">
            {error}
          </p>
        )}
        {done && (
          <p className="dialog__done" role="status">
            {done}
          </p>
        )}
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
          <button type="submit" className="button button--primary" disabled={busy || !name.trim()}>
            Invite
          </button>
        </div>
      </form>
    </Dialog>
  );
}
