/**
 * "Mary is typing…" under the timeline. The line is always there (empty when nobody types), so the
 * screen does not jump and screen readers announce changes politely.
 */
import { typingText } from './typing.js';
import { useTypists } from './typing-slice.js';

export function TypingIndicator({ roomId }: { roomId: string }) {
  const typists = useTypists(roomId);
  return (
    <div className="typing-indicator" role="status" aria-live="polite">
      {typists.length > 0 && (
        <>
          <span className="typing-indicator__dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          <span className="typing-indicator__text">{typingText(typists)}</span>
        </>
      )}
    </div>
  );
}
