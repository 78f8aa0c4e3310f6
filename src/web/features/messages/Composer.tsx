/** The message box: Enter sends, Shift+Enter starts a new line; it grows with its text. */
import { useId, useLayoutEffect, useRef, useState } from 'react';
import type { FormEvent, KeyboardEvent } from 'react';
import { MESSAGE_MAX_LENGTH } from '../../../protocol/index.js';
import { SendIcon } from '../../app/icons.js';

/** One message box per screen: the skip link and the screen's focus handling point at it. */
export const COMPOSER_INPUT_ID = 'message-input';
/** The box grows up to this height, then scrolls (px). */
const MAX_HEIGHT_PX = 160;
/** Show a countdown of characters left once this close to the limit. */
const COUNTDOWN_FROM = 200;

export interface ComposerProps {
  roomTitle: string;
  onSend: (text: string) => void;
  autoFocus?: boolean;
}

export function Composer({ roomTitle, onSend, autoFocus = false }: ComposerProps) {
  const [text, setText] = useState('');
  const box = useRef<HTMLTextAreaElement>(null);
  const counterId = useId();
  const left = MESSAGE_MAX_LENGTH - text.length;
  const canSend = text.trim().length > 0 && left >= 0;

  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight, MAX_HEIGHT_PX)}px`;
  }, [text]);

  const send = () => {
    if (!canSend) return;
    onSend(text);
    setText('');
    box.current?.focus();
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    send();
  };

  const handleKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // While an input method is composing (Japanese, Chinese…), Enter picks a candidate.
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    send();
  };

  return (
    <form className="composer" onSubmit={submit}>
      <label className="visually-hidden" htmlFor={COMPOSER_INPUT_ID}>
        Message {roomTitle}
      </label>
      <textarea
        ref={box}
        id={COMPOSER_INPUT_ID}
        className="composer__input"
        rows={1}
        placeholder={`Message ${roomTitle}`}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={handleKeyDown}
        aria-describedby={left <= COUNTDOWN_FROM ? counterId : undefined}
        autoFocus={autoFocus}
        enterKeyHint="send"
      />
      {left <= COUNTDOWN_FROM && (
        <span
          id={counterId}
          className={`composer__count${left < 0 ? ' composer__count--over' : ''}`}
        >
          {left < 0 ? `${-left} characters too long` : `${left} characters left`}
        </span>
      )}
      <button
        type="submit"
        className="composer__send"
        aria-label="Send message"
        disabled={!canSend}
      >
        <SendIcon />
      </button>
    </form>
  );
}
