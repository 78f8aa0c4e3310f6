import { describe, expect, it } from 'vitest';
import { refusal } from '../../testing/refusal.js';
import { MemoryTypingStarts } from './memory-store.js';
import { TypingWindow } from './rules.js';

const INTERVAL_MS = 2000;

function setup() {
  const clock = { ms: 0 };
  const starts = new MemoryTypingStarts(() => clock.ms);
  const socketOf = (userId: string) => new TypingWindow(userId, starts, INTERVAL_MS);
  return { clock, socketOf };
}

describe('typing notices', () => {
  it('let one start through per user, room and interval, from any of their sockets', async () => {
    const { clock, socketOf } = setup();
    const [tab1, tab2, other] = [socketOf('1'), socketOf('1'), socketOf('2')];
    expect(await tab1.notice('0', true)).toBe(true);
    clock.ms += INTERVAL_MS - 1;
    expect(await refusal(tab2.notice('0', true))).toMatchObject({
      code: 'rate_limited',
      message: 'typing notices are limited to one every 2 s per user and room',
      retryAfterS: 2,
    });
    expect(await tab2.notice('7', true)).toBe(true); // another room has its own window
    expect(await other.notice('0', true)).toBe(true); // and so has another user
    clock.ms += 1;
    expect(await tab2.notice('0', true)).toBe(true);
  });

  it('tell a stop only after a start of the same socket, once', async () => {
    const { socketOf } = setup();
    const [tab1, tab2] = [socketOf('1'), socketOf('1')];
    expect(await tab1.notice('0', false)).toBe(false);
    await tab1.notice('0', true);
    expect(await tab2.notice('0', false)).toBe(false);
    expect(await tab1.notice('0', false)).toBe(true);
    expect(await tab1.notice('0', false)).toBe(false);
  });

  it('do not reopen the window with a stop', async () => {
    const { clock, socketOf } = setup();
    const tab = socketOf('1');
    await tab.notice('0', true);
    await tab.notice('0', false);
    clock.ms += 10;
    expect((await refusal(tab.notice('0', true))).code).toBe('rate_limited');
  });

  it('are not limited with an interval of 0', async () => {
    const tab = new TypingWindow('1', new MemoryTypingStarts(() => 0), 0);
    expect(await tab.notice('0', true)).toBe(true);
    expect(await tab.notice('0', true)).toBe(true);
  });
});
