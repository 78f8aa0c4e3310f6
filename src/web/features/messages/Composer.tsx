/**
 * The message box: Enter sends, Shift+Enter starts a new line; it grows with its text. Typing `@`
 * suggests the room's members (arrows, Enter or Tab, Escape, or the mouse); Up in an empty box
 * edits your last message. Each change is reported so the others can see "… is typing".
 */
import { useId, useLayoutEffect, useRef, useState } from 'react';
import type { FormEvent, KeyboardEvent } from 'react';
import { MESSAGE_MAX_LENGTH, type SessionUser } from '../../../protocol/index.js';
import { SendIcon } from '../../core/ui/index.js';
import { FormattingHelp, useFormattingShortcuts } from '../formatting/index.js';
import {
  MentionSuggestions,
  filterMembers,
  insertMention,
  mentionQueryAt,
  type MentionQuery,
} from '../mentions/index.js';

/** One message box per screen: the skip link and the screen's focus handling point at it. */
export const COMPOSER_INPUT_ID = 'message-input';
/** The box grows up to this height, then scrolls (px). */
const MAX_HEIGHT_PX = 160;
/** Show a countdown of characters left once this close to the limit. */
const COUNTDOWN_FROM = 200;

export interface ComposerProps {
  roomTitle: string;
  onSend: (text: string) => void;
  /** Something else goes with the message (files): it may be sent without text. */
  canSendEmpty?: boolean;
  autoFocus?: boolean;
  /** Who `@` suggests (the room's members, the reader left out). */
  members?: readonly SessionUser[];
  /** The text changed (for typing notices). */
  onTyping?: (text: string) => void;
  /** The box lost the focus. */
  onStopTyping?: () => void;
  /** Up in an empty box: edit the last own message. Returns false when there is none. */
  onEditLast?: () => boolean;
}

const sameQuery = (a: MentionQuery | null, b: MentionQuery | null) =>
  a === b || (a !== null && b !== null && a.start === b.start && a.query === b.query);

export function Composer({
  roomTitle,
  onSend,
  canSendEmpty = false,
  autoFocus = false,
  members = [],
  onTyping,
  onStopTyping,
  onEditLast,
}: ComposerProps) {
  const [text, setText] = useState('');
  const [mention, setMention] = useState<MentionQuery | null>(null);
  const [active, setActive] = useState(0);
  const box = useRef<HTMLTextAreaElement>(null);
  /** Where the caret goes after the next render (after a mention was put in). */
  const pendingCaret = useRef<number | null>(null);
  const counterId = useId();
  const listId = useId();
  const formattingKey = useFormattingShortcuts(box, (value) => {
    setText(value);
    onTyping?.(value);
  });
  const left = MESSAGE_MAX_LENGTH - text.length;
  const canSend = (text.trim().length > 0 || canSendEmpty) && left >= 0;
  const suggestions = mention ? filterMembers(members, mention.query) : [];
  const suggesting = suggestions.length > 0;
  const activeIndex = Math.min(active, suggestions.length - 1);

  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight, MAX_HEIGHT_PX)}px`;
    if (pendingCaret.current !== null) {
      element.setSelectionRange(pendingCaret.current, pendingCaret.current);
      pendingCaret.current = null;
    }
  }, [text]);

  const followCaret = (value: string, caret: number) => {
    const next = mentionQueryAt(value, caret);
    if (sameQuery(next, mention)) return;
    setMention(next);
    setActive(0);
  };

  const change = (value: string, caret: number) => {
    setText(value);
    followCaret(value, caret);
    onTyping?.(value);
  };

  const send = () => {
    if (!canSend) return;
    onSend(text);
    setText('');
    setMention(null);
    box.current?.focus();
  };

  const choose = (member: SessionUser) => {
    if (!mention) return;
    const caret = box.current?.selectionStart ?? text.length;
    const result = insertMention(text, mention, caret, member.username);
    pendingCaret.current = result.caret;
    setText(result.text);
    setMention(null);
    onTyping?.(result.text);
    box.current?.focus();
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    send();
  };

  const handleKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // While an input method is composing (Japanese, Chinese…), keys belong to it.
    if (event.nativeEvent.isComposing) return;
    if (formattingKey(event)) return;
    if (suggesting) {
      const count = suggestions.length;
      switch (event.key) {
        case 'ArrowDown':
          event.preventDefault();
          setActive((activeIndex + 1) % count);
          return;
        case 'ArrowUp':
          event.preventDefault();
          setActive((activeIndex - 1 + count) % count);
          return;
        case 'Enter':
        case 'Tab': {
          if (event.shiftKey) break;
          const chosen = suggestions[activeIndex]!;
          // A name typed out in full has nothing left to complete: Enter sends as usual.
          if (
            event.key === 'Enter' &&
            chosen.username.toLowerCase() === mention?.query.toLowerCase()
          ) {
            break;
          }
          event.preventDefault();
          choose(chosen);
          return;
        }
        case 'Escape':
          event.preventDefault();
          event.stopPropagation();
          setMention(null);
          return;
      }
    }
    if (event.key === 'ArrowUp' && text === '' && onEditLast?.()) {
      event.preventDefault();
      return;
    }
    if (event.key !== 'Enter' || event.shiftKey) return;
    event.preventDefault();
    send();
  };

  return (
    <form className="composer" onSubmit={submit}>
      <label className="visually-hidden" htmlFor={COMPOSER_INPUT_ID}>
        Message {roomTitle}
      </label>
      {suggesting && (
        <MentionSuggestions
          id={listId}
          suggestions={suggestions}
          activeIndex={activeIndex}
          onChoose={choose}
        />
      )}
      <textarea
        ref={box}
        id={COMPOSER_INPUT_ID}
        className="composer__input"
        dir="auto"
        rows={1}
        placeholder={`Message ${roomTitle}`}
        value={text}
        onChange={(event) => change(event.target.value, event.target.selectionStart)}
        onSelect={(event) =>
          followCaret(event.currentTarget.value, event.currentTarget.selectionStart)
        }
        onKeyDown={handleKeyDown}
        onBlur={() => {
          setMention(null);
          onStopTyping?.();
        }}
        aria-describedby={left <= COUNTDOWN_FROM ? counterId : undefined}
        aria-autocomplete="list"
        aria-controls={suggesting ? listId : undefined}
        aria-activedescendant={suggesting ? `${listId}-${activeIndex}` : undefined}
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
      <FormattingHelp />
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
