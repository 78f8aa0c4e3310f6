/** The "Add reaction" button among a message's actions, and the picker it opens. */
import { useState } from 'react';
import { SmileIcon } from '../../core/ui/index.js';
import { EmojiPicker } from './EmojiPicker.js';
import { useReactionsActions } from './reactions-context.js';

export interface ReactButtonProps {
  roomId: string;
  messageId: string;
  className: string;
}

/** A refusal shows under the message (ReactionBar), where the reactions are. */
export function ReactButton({ roomId, messageId, className }: ReactButtonProps) {
  const actions = useReactionsActions();
  const [picking, setPicking] = useState(false);
  return (
    <>
      <button
        type="button"
        className={className}
        onClick={() => setPicking(true)}
        aria-label="Add reaction"
        title="Add reaction"
      >
        <SmileIcon />
      </button>
      {picking && (
        <EmojiPicker
          onClose={() => setPicking(false)}
          onPick={(emoji) => void actions.toggle(roomId, messageId, emoji)}
        />
      )}
    </>
  );
}
