/**
 * A run of messages from one sender: avatar, name (which opens a private room) with the presence
 * dot, then the bubbles. Our own messages sit on the right, show their sending state, and can be
 * edited in place or deleted; messages that mention the reader stand out.
 */
import { memo, useLayoutEffect, useRef, useState } from 'react';
import type { FormEvent, KeyboardEvent } from 'react';
import { MESSAGE_MAX_LENGTH } from '../../../protocol/index.js';
import { asSentence, dateOfSeconds, formatFullDate, formatTime } from '../../core/lib/format.js';
import {
  AlertIcon,
  Avatar,
  CheckIcon,
  ClockIcon,
  ConfirmDialog,
  PencilIcon,
  PresenceDot,
  TrashIcon,
} from '../../core/ui/index.js';
import { FormattedText, useFormattingShortcuts } from '../formatting/index.js';
import { useUser } from '../presence/index.js';
import { useMessageExtras } from './message-extras.js';
import type { MessageView, TimelineBlock } from './timeline.js';

type Group = Extract<TimelineBlock, { kind: 'group' }>;

/** What the reader can do to their own messages; one object so the memo compares one prop. */
export interface MessageEditing {
  /** The reader's username, to highlight `@` mentions of them. */
  meName: string;
  /** The id of the message being edited, if any. */
  editingId: string | null;
  onStartEdit: (id: string) => void;
  onStopEdit: () => void;
  /** Resolves once the server took the new text; rejects with the reason. */
  onSaveEdit: (id: string, text: string) => Promise<void>;
  onDelete: (id: string) => Promise<void>;
}

export interface MessageGroupProps {
  group: Group;
  onOpenPrivate: (userId: string) => void;
  onRetry: (localId: string) => void;
  onDiscard: (localId: string) => void;
  editing?: MessageEditing;
}

const sameView = (a: MessageView, b: MessageView) =>
  a.key === b.key &&
  a.text === b.text &&
  a.status === b.status &&
  a.error === b.error &&
  a.edited === b.edited &&
  a.deleted === b.deleted &&
  a.mentionsMe === b.mentionsMe;

/**
 * Timelines are rebuilt on every change; a group redraws only when what it shows changed (its
 * sender's name and presence it selects itself).
 */
function sameGroup(previous: MessageGroupProps, next: MessageGroupProps): boolean {
  const a = previous.group;
  const b = next.group;
  return (
    previous.onOpenPrivate === next.onOpenPrivate &&
    previous.onRetry === next.onRetry &&
    previous.onDiscard === next.onDiscard &&
    previous.editing === next.editing &&
    a.key === b.key &&
    a.messages.length === b.messages.length &&
    a.messages.every((view, index) => sameView(view, b.messages[index]!))
  );
}

export const MessageGroup = memo(function MessageGroup({
  group,
  onOpenPrivate,
  onRetry,
  onDiscard,
  editing,
}: MessageGroupProps) {
  const sender = useUser(group.from);
  const name = sender?.username ?? '…';
  const online = sender?.online ?? false;
  return (
    <div className={`group${group.own ? ' group--own' : ''}`}>
      {!group.own && <Avatar id={group.from} name={name} />}
      <div className="group__body">
        {!group.own && (
          <div className="group__meta">
            <button
              type="button"
              className="group__sender"
              onClick={() => onOpenPrivate(group.from)}
              title={`Send ${name} a private message`}
            >
              <bdi>{name}</bdi>
            </button>
            <PresenceDot online={online} />
            <span className="visually-hidden">{online ? 'online' : 'offline'}</span>
          </div>
        )}
        {group.messages.map((view) => (
          <Bubble
            key={view.key}
            view={view}
            own={group.own}
            onRetry={onRetry}
            onDiscard={onDiscard}
            editing={editing}
          />
        ))}
      </div>
    </div>
  );
}, sameGroup);

function Bubble({
  view,
  own,
  onRetry,
  onDiscard,
  editing,
}: {
  view: MessageView;
  own: boolean;
  onRetry: (localId: string) => void;
  onDiscard: (localId: string) => void;
  editing: MessageEditing | undefined;
}) {
  const { localId, id } = view;
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const { Actions, Above, Below } = useMessageExtras();
  const changeable = own && view.status === 'sent' && !view.deleted && id && editing;
  const editingThis = Boolean(changeable && editing.editingId === id);
  // Other features' parts are for messages the server has; a deleted one keeps only those below.
  const extra =
    id && view.status === 'sent'
      ? { roomId: view.roomId, messageId: id, own, deleted: view.deleted }
      : null;
  const live = extra && !view.deleted ? extra : null;
  return (
    <div
      className={`bubble bubble--${view.status}${view.mentionsMe ? ' bubble--mention' : ''}${editingThis ? ' bubble--editing' : ''}`}
      data-status={view.status}
      data-message-id={id}
    >
      {live && Above && !editingThis && <Above {...live} />}
      {editingThis && changeable ? (
        <EditBox
          initial={view.text}
          onSave={(text) => editing.onSaveEdit(id, text)}
          onCancel={editing.onStopEdit}
        />
      ) : view.deleted ? (
        <div className="bubble__text bubble__text--deleted">Message deleted</div>
      ) : (
        // dir="auto": a message in a right-to-left script reads from the right, and whatever it
        // holds (bidi controls too) stays inside its bubble.
        <div className="bubble__text" dir="auto">
          <FormattedText text={view.text} meName={editing?.meName} />
        </div>
      )}
      <span className="bubble__meta">
        {view.mentionsMe && <span className="visually-hidden">Mentions you</span>}
        {view.edited && !view.deleted && (
          <span className="bubble__edited" title="This message was edited">
            (edited)
          </span>
        )}
        <time dateTime={dateOfSeconds(view.date).toISOString()} title={formatFullDate(view.date)}>
          {formatTime(view.date)}
        </time>
        {view.status === 'pending' && (
          <span className="bubble__state" role="status">
            <ClockIcon />
            <span className="visually-hidden">Sending</span>
          </span>
        )}
        {view.status === 'sent' && own && (
          <span className="bubble__state">
            <CheckIcon />
            <span className="visually-hidden">Sent</span>
          </span>
        )}
      </span>
      {view.status === 'failed' && localId && (
        <div className="bubble__failure" role="alert">
          <AlertIcon />
          <span>Not sent. {view.error}</span>
          <button type="button" className="link-button" onClick={() => onRetry(localId)}>
            Retry
          </button>
          <button type="button" className="link-button" onClick={() => onDiscard(localId)}>
            Discard
          </button>
        </div>
      )}
      {extra && Below && <Below {...extra} />}
      {(changeable || (live && Actions)) && !editingThis && (
        <div className="bubble__actions" role="group" aria-label="Message actions">
          {live && Actions && <Actions {...live} className="bubble__action" />}
          {changeable && (
            <>
              <button
                type="button"
                className="bubble__action"
                onClick={() => editing.onStartEdit(id)}
                aria-label="Edit message"
                title="Edit"
              >
                <PencilIcon />
              </button>
              <button
                type="button"
                className="bubble__action"
                onClick={() => setConfirmingDelete(true)}
                aria-label="Delete message"
                title="Delete"
              >
                <TrashIcon />
              </button>
            </>
          )}
        </div>
      )}
      {confirmingDelete && changeable && (
        <ConfirmDialog
          label="Delete message?"
          text="Everyone will see “Message deleted” in its place. This cannot be undone."
          confirmLabel="Delete"
          onConfirm={() => editing.onDelete(id)}
          onClose={() => setConfirmingDelete(false)}
        />
      )}
    </div>
  );
}

/** The text of one of our messages, being changed: Enter saves, Escape cancels. */
function EditBox({
  initial,
  onSave,
  onCancel,
}: {
  initial: string;
  onSave: (text: string) => Promise<void>;
  onCancel: () => void;
}) {
  const [text, setText] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const formattingKey = useFormattingShortcuts(box, setText);

  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    element.focus();
    element.setSelectionRange(element.value.length, element.value.length);
  }, []);

  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight, 200)}px`;
  }, [text]);

  const save = () => {
    if (busy) return;
    if (text === initial) {
      onCancel();
      return;
    }
    if (!text.trim()) {
      setError('A message cannot be empty; delete it instead.');
      return;
    }
    if (text.length > MESSAGE_MAX_LENGTH) {
      setError(`A message can have at most ${MESSAGE_MAX_LENGTH} characters.`);
      return;
    }
    setBusy(true);
    setError(null);
    onSave(text).catch((reason: unknown) => {
      setBusy(false);
      setError(asSentence(reason instanceof Error ? reason.message : 'The server said no'));
    });
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    save();
  };

  const handleKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (formattingKey(event)) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
    } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      save();
    }
  };

  return (
    <form className="bubble__edit" onSubmit={submit}>
      <textarea
        ref={box}
        className="bubble__edit-input"
        aria-label="Edit message"
        dir="auto"
        value={text}
        rows={1}
        onChange={(event) => {
          setText(event.target.value);
          setError(null);
        }}
        onKeyDown={handleKeyDown}
        readOnly={busy}
      />
      {error && (
        <p className="bubble__edit-error" role="alert">
          Not saved. {error}
        </p>
      )}
      <div className="bubble__edit-actions">
        <span className="bubble__edit-hint">Enter to save · Esc to cancel</span>
        <button type="button" className="button button--small" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button--primary button--small" disabled={busy}>
          Save
        </button>
      </div>
    </form>
  );
}
