import { describe, expect, it } from 'vitest';
import { MemoryMentionCounts, MemoryReadMarkers, MemoryRoomAccess } from './memory-store.js';
import { ReadRules } from './rules.js';

const ada = { id: '1', username: 'Ada' };

function setup() {
  const markers = new MemoryReadMarkers();
  const mentions = new MemoryMentionCounts();
  const rooms = new MemoryRoomAccess();
  rooms.allowed.add('1/0');
  return { rules: new ReadRules(markers, mentions, rooms), markers, mentions, rooms };
}

describe('read markers', () => {
  it('move forward only', async () => {
    const { rules } = setup();
    const marked = async (id: string) => (await rules.markRead(ada, '0', id)).marker;
    expect(await marked('2000000-b')).toEqual({ roomId: '0', lastReadId: '2000000-b' });
    expect(await marked('1000000-a')).toEqual({ roomId: '0', lastReadId: '2000000-b' });
    expect(await marked('3000000-c')).toEqual({ roomId: '0', lastReadId: '3000000-c' });
  });

  it('in a private room, are told to the other member when they move, and read by them', async () => {
    const { rules, rooms } = setup();
    const bruno = { id: '2', username: 'Bruno' };
    rooms.allowed.add('1/1:2').add('2/1:2');
    expect(await rules.seenBy(bruno, '1:2')).toEqual({
      roomId: '1:2',
      userId: '1',
      lastReadId: null,
    });
    expect(await rules.markRead(ada, '1:2', '2000000-b')).toEqual({
      marker: { roomId: '1:2', lastReadId: '2000000-b' },
      partner: '2',
    });
    // A marker that does not move tells nobody; General has no partner.
    expect((await rules.markRead(ada, '1:2', '1000000-a')).partner).toBeNull();
    expect((await rules.markRead(ada, '0', '1000000-a')).partner).toBeNull();
    expect(await rules.seenBy(bruno, '1:2')).toMatchObject({
      userId: '1',
      lastReadId: '2000000-b',
    });
    await expect(rules.seenBy(ada, '0')).rejects.toMatchObject({
      code: 'bad_request',
      message: 'only private rooms have read receipts',
    });
    await expect(rules.seenBy({ id: '3', username: 'Chen' }, '1:2')).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('are refused in a room the user may not use, and for what is not a message id', async () => {
    const { rules } = setup();
    await expect(rules.markRead(ada, '1:2', '1000000-a')).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(rules.markRead(ada, '0', 'nope')).rejects.toMatchObject({
      code: 'bad_request',
      message: 'messageId must be a message id',
    });
  });

  it('count the messages after them and the mentions of the user among those', async () => {
    const { rules, markers, mentions } = setup();
    markers.scores.set('0', [1, 2, 3, 4]);
    mentions.scores.set('0/1', [2, 4]);
    expect(await rules.unreadIn('1', ['0'])).toEqual([
      { unread: 4, unreadMentions: 2, lastReadId: null },
    ]);
    await rules.markRead(ada, '0', '2000000-b'); // score 2
    expect(await rules.unreadIn('1', ['0'])).toEqual([
      { unread: 2, unreadMentions: 1, lastReadId: '2000000-b' },
    ]);
  });

  it('need no count in a room read to its newest message, given the newest ids', async () => {
    const { rules, markers, mentions } = setup();
    markers.scores.set('0', [1, 2, 3, 4]);
    markers.scores.set('7', [1, 2]);
    mentions.scores.set('0/1', [4]);
    let counted = 0;
    const countAfter = markers.countAfter.bind(markers);
    markers.countAfter = (roomId, score) => {
      counted++;
      return countAfter(roomId, score);
    };
    await rules.markRead(ada, '0', '2000000-b');
    await markers.setReadMarker('1', '7', '2000000-c');
    const newest = Promise.resolve(['4000000-d', '2000000-c', null, 'not-ours!']);
    expect(await rules.unreadIn('1', ['0', '7', '8', '9'], newest)).toEqual([
      { unread: 2, unreadMentions: 1, lastReadId: '2000000-b' },
      { unread: 0, unreadMentions: 0, lastReadId: '2000000-c' },
      { unread: 0, unreadMentions: 0, lastReadId: null },
      // An id that carries no score is counted, as without newest ids.
      { unread: 0, unreadMentions: 0, lastReadId: null },
    ]);
    expect(counted).toBe(2); // rooms 0 and 9
  });

  it('follow the author’s own messages', async () => {
    const { rules, markers } = setup();
    await rules.authorWrote('1', '0', '5000000-e');
    expect(markers.markers.get('1/0')).toBe('5000000-e');
  });
});
