/** The pure rules of the domain, without Redis: ids, the codec, room ids and mentions. */
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, unescapeSeedHtml } from './message-codec.js';
import { MessageClock, derivedMessageId, newMessageId, scoreOfMessageId } from './message-ids.js';
import { mentionedUsernames } from './mentions.js';
import { privateRoomId, privateRoomMembers } from './rooms.js';

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

describe('the message codec', () => {
  it('reads back what it writes', () => {
    const message = {
      id: '1-abc',
      from: '2',
      date: 1,
      message: '<b>&amp;</b>',
      roomId: '0',
      edited: true,
    };
    expect(decodeMessage({ raw: encodeMessage(message), score: 1 }, '0')).toEqual(message);
  });

  it("unescapes only the seed's entities", () => {
    expect(unescapeSeedHtml('&lt;a&gt; &amp;amp; &quot;q&quot; &#39;s&#39; &copy;')).toBe(
      `<a> &amp; "q" 's' &copy;`,
    );
  });

  it('takes millisecond dates for what they are, and the room from the key', () => {
    const raw = JSON.stringify({ from: '1', date: 1615480369123, message: 'x', roomId: '9' });
    expect(decodeMessage({ raw, score: 1615480369 }, '1:2')).toMatchObject({
      date: 1615480369,
      roomId: '1:2',
    });
  });

  it.each(['not json', '42', 'null', '{"message":"no author"}', '{"from":{},"message":"x"}'])(
    'skips %s',
    (raw) => expect(decodeMessage({ raw, score: 1 }, '0')).toBeNull(),
  );
});

describe('private room ids', () => {
  it('put the smaller id first, numerically', () => {
    expect(privateRoomId('10', '9')).toBe('9:10');
    expect(privateRoomMembers('9:10')).toEqual({ low: '9', high: '10' });
  });

  it.each(['10:9', '3:3', '0:1', '1', 'a:b', '1:2:3'])('reject %s', (id) => {
    expect(privateRoomMembers(id)).toBeNull();
  });
});

describe('mentions', () => {
  it('find each @name once, ignoring e-mail addresses and trailing dots', () => {
    expect(mentionedUsernames('@Mary hi @Joe. and @Mary again, mail me@example.com')).toEqual([
      'Mary',
      'Joe',
    ]);
    expect(mentionedUsernames('no mentions here')).toEqual([]);
  });
});
