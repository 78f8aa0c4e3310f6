/**
 * The formatting keys people know from other chat apps and editors: Ctrl+B (⌘B on a Mac) bold,
 * Ctrl+I italic, Ctrl+Shift+X strikethrough, Ctrl+E inline code. They put the Markdown markers
 * around the selection, or take them away when it already has them.
 */

export interface FormattingKey {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export interface TextEdit {
  text: string;
  selectionStart: number;
  selectionEnd: number;
}

/** The marker a key stands for, if it is one of the shortcuts. */
export function markerFor(event: FormattingKey): string | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  const key = event.key.toLowerCase();
  if (event.shiftKey) return key === 'x' ? '~~' : null;
  if (key === 'b') return '**';
  if (key === 'i') return '_';
  if (key === 'e') return '`';
  return null;
}

/** Wraps the selection in `marker`, or unwraps it when the marker is already around it. */
export function toggleMarker(edit: TextEdit, marker: string): TextEdit {
  const { text, selectionStart: start, selectionEnd: end } = edit;
  const before = text.slice(0, start);
  const selected = text.slice(start, end);
  const after = text.slice(end);
  if (before.endsWith(marker) && after.startsWith(marker)) {
    return {
      text: before.slice(0, -marker.length) + selected + after.slice(marker.length),
      selectionStart: start - marker.length,
      selectionEnd: end - marker.length,
    };
  }
  return {
    text: before + marker + selected + marker + after,
    selectionStart: start + marker.length,
    selectionEnd: end + marker.length,
  };
}

/** The edit a key press makes, or null when it is not a formatting shortcut. */
export function formattingShortcut(event: FormattingKey, edit: TextEdit): TextEdit | null {
  const marker = markerFor(event);
  return marker ? toggleMarker(edit, marker) : null;
}

/** How the shortcuts are written for this user ("⌘" on Apple devices, "Ctrl+" elsewhere). */
export const MODIFIER_LABEL =
  typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent) ? '⌘' : 'Ctrl+';
