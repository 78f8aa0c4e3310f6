import { describe, expect, it, vi } from 'vitest';
import { TYPING_THROTTLE_MS } from '../../../protocol/index.js';
import { TYPING_RENEW_MS, TypingAnnouncer, typingText } from './typing.js';

function announcer() {
  let now = 1_000_000;
  const emitted: boolean[] = [];
  let online = true;
  const typing = new TypingAnnouncer(
    (value) => online && emitted.push(value) > 0,
    () => now,
  );
  return {
    typing,
    emitted,
    advance: (ms: number) => (now += ms),
    setOnline: (value: boolean) => (online = value),
  };
}

describe('TypingAnnouncer', () => {
  it('announces a start once per throttle window, however fast the keys come', () => {
    const { typing, emitted, advance } = announcer();
    typing.input('h');
    for (let i = 0; i < 20; i++) {
      advance(100);
      typing.input('h'.repeat(i + 2));
    }
    // 2 s of typing: the first keystroke only (the window is a little over 2 s).
    expect(emitted).toEqual([true]);
    expect(TYPING_RENEW_MS).toBeGreaterThanOrEqual(TYPING_THROTTLE_MS);
    advance(TYPING_RENEW_MS - 2000);
    typing.input('more');
    expect(emitted).toEqual([true, true]);
  });

  it('stops once on send, blur or an emptied box; typing again soon starts when the window opens', () => {
    vi.useFakeTimers();
    try {
      const { typing, emitted, advance } = announcer();
      typing.input('hello');
      advance(300);
      typing.input('');
      typing.stop();
      expect(emitted).toEqual([true, false]);

      advance(100);
      typing.input('again');
      typing.input('again!');
      expect(emitted).toEqual([true, false]);
      // The start goes out by itself once the window opens, once.
      vi.advanceTimersByTime(TYPING_RENEW_MS - 400);
      advance(TYPING_RENEW_MS - 400);
      expect(emitted).toEqual([true, false, true]);

      // A waiting start is dropped by a send.
      typing.stop();
      advance(10);
      typing.input('third');
      typing.stop();
      vi.advanceTimersByTime(TYPING_RENEW_MS);
      expect(emitted).toEqual([true, false, true, false]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('tries a start again at the next keystroke when it could not be sent', () => {
    const { typing, emitted, advance, setOnline } = announcer();
    setOnline(false);
    typing.input('h');
    expect(emitted).toEqual([]);
    setOnline(true);
    advance(100);
    typing.input('hi');
    expect(emitted).toEqual([true]);
  });

  it('announces nothing for blank text and no stop when it never started', () => {
    const { typing, emitted } = announcer();
    typing.input('   ');
    typing.stop();
    expect(emitted).toEqual([]);
  });
});

describe('typingText', () => {
  it('names one, two or three typists, and summarises more', () => {
    expect(typingText([])).toBe('');
    expect(typingText([{ username: 'Mary' }])).toBe('Mary is typing…');
    expect(typingText([{ username: 'Mary' }, { username: 'Bob' }])).toBe(
      'Mary and Bob are typing…',
    );
    expect(typingText([{ username: 'Mary' }, { username: 'Bob' }, { username: 'Ann' }])).toBe(
      'Mary, Bob and Ann are typing…',
    );
    expect(typingText(['a', 'b', 'c', 'd'].map((username) => ({ username })))).toBe(
      'Several people are typing…',
    );
  });
});
