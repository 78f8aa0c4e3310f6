import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../protocol/index.js';
import type { Notice, OutgoingMessage } from './timelines-slice.js';
import { buildTimeline, GROUP_GAP_S, type TimelineBlock } from './timeline.js';

const NOON = new Date(2025, 2, 14, 12, 0, 0).getTime() / 1000;
let sequence = 0;
function message(from: string, date: number, text = `text ${++sequence}`): ChatMessage {
  const micros = String(Math.round(date * 1e6) + sequence);
  return { id: `${micros}-m${sequence}`, from, date, message: text, roomId: '0' };
}

const shape = (blocks: TimelineBlock[]) =>
  blocks.map((block) =>
    block.kind === 'group'
      ? `${block.own ? 'own' : 'group'}:${block.from}:${block.messages.length}`
      : block.kind === 'day'
        ? `day:${block.label}`
        : `notice:${block.text}`,
  );

describe('buildTimeline', () => {
  const now = new Date(NOON * 1000 + 60_000);

  it('groups consecutive messages of one sender and starts a new group for another sender', () => {
    const blocks = buildTimeline(
      [
        message('1', NOON),
        message('1', NOON + 10),
        message('2', NOON + 20),
        message('1', NOON + 30),
      ],
      [],
      [],
      '9',
      now,
    );
    expect(shape(blocks)).toEqual(['day:Today', 'group:1:2', 'group:2:1', 'group:1:1']);
  });

  it('starts a new group after a pause and at each new day, with a separator per day', () => {
    const yesterday = NOON - 24 * 60 * 60;
    const blocks = buildTimeline(
      [
        message('1', yesterday),
        message('1', NOON),
        message('1', NOON + GROUP_GAP_S + 1),
        message('1', NOON + GROUP_GAP_S + 2),
      ],
      [],
      [],
      '9',
      now,
    );
    expect(shape(blocks)).toEqual([
      'day:Yesterday',
      'group:1:1',
      'day:Today',
      'group:1:1',
      'group:1:2',
    ]);
  });

  it('marks our own groups and puts pending messages after the confirmed ones', () => {
    const outgoing: OutgoingMessage = {
      localId: 'local-1',
      clientId: 'client-id-1',
      roomId: '0',
      text: 'on its way',
      date: NOON + 40,
      status: 'pending',
    };
    const blocks = buildTimeline(
      [message('2', NOON), message('9', NOON + 5)],
      [outgoing],
      [],
      '9',
      now,
    );
    expect(shape(blocks)).toEqual(['day:Today', 'group:2:1', 'own:9:2']);
    const own = blocks.at(-1);
    expect(own?.kind === 'group' && own.messages.map((view) => view.status)).toEqual([
      'sent',
      'pending',
    ]);
  });

  it('places notices after the message they followed, breaking the group', () => {
    const first = message('1', NOON);
    const notice: Notice = { id: 'n1', text: 'Joe connected', date: NOON + 1, afterId: first.id };
    const blocks = buildTimeline([first, message('1', NOON + 2)], [], [notice], '9', now);
    expect(shape(blocks)).toEqual(['day:Today', 'group:1:1', 'notice:Joe connected', 'group:1:1']);
  });
});
