/** Reading stored messages back, whoever wrote them (this project or the seed's servers). */
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, unescapeSeedHtml } from './message-codec.js';

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
