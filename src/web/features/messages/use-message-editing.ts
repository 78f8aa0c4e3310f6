/**
 * Which of our messages is being edited in the open room, and what editing does: save and delete
 * through the server, then give the focus back to the message box.
 */
import { useCallback, useMemo, useState } from 'react';
import { useMe } from '../auth/index.js';
import { COMPOSER_INPUT_ID } from './Composer.js';
import { useMessagesActions } from './messages-context.js';
import type { MessageEditing } from './MessageGroup.js';

const focusComposer = () => document.getElementById(COMPOSER_INPUT_ID)?.focus();

export function useMessageEditing(roomId: string): {
  editing: MessageEditing;
  /** Up in an empty box: edit the last own message. False when there is none. */
  editLast: () => boolean;
} {
  const actions = useMessagesActions();
  const me = useMe();
  const [editing, setEditing] = useState<{ roomId: string; id: string } | null>(null);
  const editingId = editing?.roomId === roomId ? editing.id : null;
  const messageEditing = useMemo<MessageEditing>(
    () => ({
      meName: me.username,
      editingId,
      onStartEdit: (id) => setEditing({ roomId, id }),
      onStopEdit: () => {
        setEditing(null);
        focusComposer();
      },
      onSaveEdit: (id, text) =>
        actions.editMessage(roomId, id, text).then(() => {
          setEditing(null);
          focusComposer();
        }),
      onDelete: (id) => actions.deleteMessage(roomId, id).then(focusComposer),
    }),
    [actions, roomId, editingId, me.username],
  );
  const editLast = useCallback(() => {
    const id = actions.lastEditableId(roomId);
    if (!id) return false;
    setEditing({ roomId, id });
    return true;
  }, [actions, roomId]);
  return { editing: messageEditing, editLast };
}
