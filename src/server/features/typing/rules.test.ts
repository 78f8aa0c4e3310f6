import { describe, expect, it } from 'vitest';
import { TYPING_THROTTLE_MS } from '../../../protocol/limits.js';
import { TypingWindow } from './rules.js';

function clockAt(start: number) {
  const clock = { ms: start, now: () => clock.ms };
  return clock;
}

describe('the typing window', () => {
  it('lets one start through per window and room, and refuses the next inside it', () => {
    const clock = clockAt(0);
    const window = new TypingWindow(clock.now);
    expect(window.notice('0', true)).toBe(true);
    clock.ms += TYPING_THROTTLE_MS - 1;
    expect(() => window.notice('0', true)).toThrow(
      expect.objectContaining({ code: 'rate_limited', retryAfterS: 2 }),
    );
    expect(window.notice('7', true)).toBe(true); // another room has its own window
    clock.ms += 1;
    expect(window.notice('0', true)).toBe(true);
  });

  it('tells a stop only after a start, once', () => {
    const window = new TypingWindow(clockAt(0).now);
    expect(window.notice('0', false)).toBe(false);
    window.notice('0', true);
    expect(window.notice('0', false)).toBe(true);
    expect(window.notice('0', false)).toBe(false);
  });

  it('does not reopen the window with a stop', () => {
    const clock = clockAt(0);
    const window = new TypingWindow(clock.now);
    window.notice('0', true);
    window.notice('0', false);
    clock.ms += 10;
    expect(() => window.notice('0', true)).toThrow(/one every 2 s/);
  });
});
