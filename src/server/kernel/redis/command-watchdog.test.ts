import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CommandWatchdog } from './command-watchdog.js';

class Late extends Error {}

/** A reply the test answers (or never answers) by hand. */
function reply<T>() {
  let answer!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    answer = resolve;
  });
  return { promise, answer };
}

describe('the command watchdog', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('passes answers through and fails only the round trips still unanswered at their deadline', async () => {
    const watchdog = new CommandWatchdog(1000, () => new Late());
    const answered = reply<string>();
    const silent = reply<string>();
    const first = watchdog.guard(answered.promise);
    const second = watchdog.guard(silent.promise);
    vi.advanceTimersByTime(500);
    const third = watchdog.guard(reply<string>().promise); // deadline at 1,500 ms
    answered.answer('ok');
    await expect(first).resolves.toBe('ok');

    vi.advanceTimersByTime(500);
    await expect(second).rejects.toBeInstanceOf(Late);
    // The later round trip keeps its own deadline.
    let thirdFailed = false;
    third.catch(() => {
      thirdFailed = true;
    });
    vi.advanceTimersByTime(499);
    await Promise.resolve();
    expect(thirdFailed).toBe(false);
    vi.advanceTimersByTime(1);
    await expect(third).rejects.toBeInstanceOf(Late);
    // An answer after the deadline changes nothing.
    silent.answer('too late');
    await expect(second).rejects.toBeInstanceOf(Late);
  });

  it('passes errors through, and keeps one timer however many round trips wait', async () => {
    const watchdog = new CommandWatchdog(1000, () => new Late());
    const failing = watchdog.guard(Promise.reject(new Error('WRONGTYPE')));
    await expect(failing).rejects.toThrow('WRONGTYPE');
    const many = Array.from({ length: 5000 }, () => watchdog.guard(reply<number>().promise));
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(1000);
    const outcomes = await Promise.allSettled(many);
    expect(outcomes.every((o) => o.status === 'rejected' && o.reason instanceof Late)).toBe(true);
    // Nothing left to watch: no timer left either.
    expect(vi.getTimerCount()).toBe(0);
  });
});
