/** "Reply in thread" among a message's actions: opens its thread in the side panel. */
import { ReplyIcon } from '../../core/ui/index.js';
import { useThreadsActions } from './threads-context.js';

export interface ReplyButtonProps {
  roomId: string;
  messageId: string;
  className: string;
}

export function ReplyButton({ roomId, messageId, className }: ReplyButtonProps) {
  const actions = useThreadsActions();
  return (
    <button
      type="button"
      className={className}
      onClick={() => actions.open(roomId, messageId)}
      aria-label="Reply in thread"
      title="Reply in thread"
    >
      <ReplyIcon />
    </button>
  );
}
