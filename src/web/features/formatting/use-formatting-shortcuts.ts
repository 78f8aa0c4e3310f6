/** The formatting shortcuts in a controlled text box, keeping the selection on the text formatted. */
import { useCallback, useLayoutEffect, useRef } from 'react';
import type { KeyboardEvent, RefObject } from 'react';
import { formattingShortcut } from './format-shortcuts.js';

/**
 * Returns a key handler: true when the key was a formatting shortcut (then `change` got the new
 * text and the box's selection follows the formatted text after the next render).
 */
export function useFormattingShortcuts(
  box: RefObject<HTMLTextAreaElement | null>,
  change: (text: string) => void,
): (event: KeyboardEvent<HTMLTextAreaElement>) => boolean {
  const pendingSelection = useRef<[number, number] | null>(null);

  // After every render: a controlled textarea puts the caret at the end when its value changes.
  useLayoutEffect(() => {
    const range = pendingSelection.current;
    if (!range || !box.current) return;
    pendingSelection.current = null;
    box.current.setSelectionRange(range[0], range[1]);
  });

  return useCallback(
    (event: KeyboardEvent<HTMLTextAreaElement>) => {
      const element = event.currentTarget;
      const edit = formattingShortcut(event, {
        text: element.value,
        selectionStart: element.selectionStart,
        selectionEnd: element.selectionEnd,
      });
      if (!edit) return false;
      event.preventDefault();
      pendingSelection.current = [edit.selectionStart, edit.selectionEnd];
      change(edit.text);
      return true;
    },
    [change],
  );
}
