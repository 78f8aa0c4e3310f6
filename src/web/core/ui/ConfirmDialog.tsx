/** "Are you sure?" for actions that cannot be undone from here (leave a room, delete a message). */
import { useState } from 'react';
import type { ReactNode } from 'react';
import { asSentence } from '../lib/format.js';
import { Dialog } from './Dialog.js';

export interface ConfirmDialogProps {
  /** The question, also the dialog's accessible name. */
  label: string;
  /** The question as shown, when it holds user text to isolate (see Dialog). */
  title?: ReactNode;
  text: string;
  confirmLabel: string;
  /** Rejects with the reason when it did not work; the dialog then says why. */
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

export function ConfirmDialog({
  label,
  title,
  text,
  confirmLabel,
  onConfirm,
  onClose,
}: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const confirm = () => {
    setBusy(true);
    setError(null);
    onConfirm().then(onClose, (reason: unknown) => {
      setBusy(false);
      setError(asSentence(reason instanceof Error ? reason.message : 'That did not work'));
    });
  };

  return (
    <Dialog label={label} title={title} role="alertdialog" onClose={onClose}>
      <p className="dialog__text">{text}</p>
      {error && (
        <p className="dialog__error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onClose} data-autofocus>
          Cancel
        </button>
        <button type="button" className="button button--danger" onClick={confirm} disabled={busy}>
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
