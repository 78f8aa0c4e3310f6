import { describe, expect, it } from 'vitest';
import { formattingShortcut, markerFor, toggleMarker } from './format-shortcuts.js';

const key = (
  key: string,
  modifiers: Partial<Record<'ctrl' | 'meta' | 'shift' | 'alt', boolean>> = {},
) => ({
  key,
  ctrlKey: modifiers.ctrl ?? false,
  metaKey: modifiers.meta ?? false,
  shiftKey: modifiers.shift ?? false,
  altKey: modifiers.alt ?? false,
});

describe('formatting shortcuts', () => {
  it('know the keys of other chat apps, with Ctrl or Cmd', () => {
    expect(markerFor(key('b', { ctrl: true }))).toBe('**');
    expect(markerFor(key('B', { meta: true }))).toBe('**');
    expect(markerFor(key('i', { ctrl: true }))).toBe('_');
    expect(markerFor(key('X', { ctrl: true, shift: true }))).toBe('~~');
    expect(markerFor(key('e', { meta: true }))).toBe('`');
    expect(markerFor(key('b'))).toBeNull();
    expect(markerFor(key('b', { ctrl: true, alt: true }))).toBeNull();
    expect(markerFor(key('v', { ctrl: true }))).toBeNull();
  });

  it('wrap the selection and keep it selected, or put the caret between empty markers', () => {
    expect(
      toggleMarker({ text: 'make it loud', selectionStart: 8, selectionEnd: 12 }, '**'),
    ).toEqual({
      text: 'make it **loud**',
      selectionStart: 10,
      selectionEnd: 14,
    });
    expect(toggleMarker({ text: 'ab', selectionStart: 1, selectionEnd: 1 }, '_')).toEqual({
      text: 'a__b',
      selectionStart: 2,
      selectionEnd: 2,
    });
  });

  it('take the markers away again from a selection that has them', () => {
    const bold = { text: 'make it **loud**', selectionStart: 10, selectionEnd: 14 };
    expect(formattingShortcut(key('b', { ctrl: true }), bold)).toEqual({
      text: 'make it loud',
      selectionStart: 8,
      selectionEnd: 12,
    });
    expect(formattingShortcut(key('a', { ctrl: true }), bold)).toBeNull();
  });
});
