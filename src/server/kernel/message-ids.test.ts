import { describe, expect, it } from 'vitest';
import { MessageClock, derivedMessageId, newMessageId, scoreOfMessageId } from './message-ids.js';

describe('message ids', () => {
  it('come from a clock that never repeats or goes back', () => {
    const clock = new MessageClock();
    const ticks = Array.from({ length: 1000 }, () => clock.nextMicros());
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]).toBeGreaterThan(ticks[i - 1] ?? 0);
  });

  it('carry their score', () => {
    const id = newMessageId(1795804989713389);
    expect(id).toMatch(/^1795804989713389-[A-Za-z0-9]{8}$/);
    expect(scoreOfMessageId(id)).toBe(1795804989.713389);
    expect(scoreOfMessageId('not-an-id!')).toBeNull();
  });

  it('get distinct suffixes across refills of the randomness pool', () => {
    // 2,000 ids use the 4 KiB pool about three times over.
    const suffixes = new Set(Array.from({ length: 2000 }, () => newMessageId(1).split('-')[1]));
    expect(suffixes.size).toBe(2000);
  });

  it('are derived stably for messages stored without one', () => {
    const raw = '{"from":1,"date":1615480369,"message":"Hello","roomId":"0"}';
    expect(derivedMessageId(1615480369, raw)).toBe(derivedMessageId(1615480369, raw));
    expect(derivedMessageId(1615480369, raw)).not.toBe(derivedMessageId(1615480369, `${raw} `));
  });
});
