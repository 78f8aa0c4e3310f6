import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../protocol/models.js';
import { markMatches, searchTerms } from '../../../protocol/search-terms.js';
import { MessageClock, newMessageId } from '../../kernel/message-ids.js';
import { refusal } from '../../testing/refusal.js';
import { MemoryUserLimiter } from '../../testing/memory-user-limiter.js';
import { MemorySearchIndex, MemorySearchRooms } from './memory-store.js';
import { SearchRules } from './rules.js';

const ada = { id: '1', username: 'Ada' };
const bruno = { id: '2', username: 'Bruno' };

/**
 * Rooms of messages, changed the way the messages feature changes them and told to the search
 * rules the way its events are (posted, edited, deleted).
 */
function setup({
  perWindow = 1000,
  budget = 5000,
  listed = { '1': ['0', '1:2', '7'], '2': ['0', '1:2'] } as Record<string, string[]>,
  readable = undefined as Record<string, string[]> | undefined,
} = {}) {
  const rooms = new Map<string, Map<string, ChatMessage>>();
  const room = (roomId: string) => {
    const messages = rooms.get(roomId) ?? new Map<string, ChatMessage>();
    rooms.set(roomId, messages);
    return messages;
  };
  const index = new MemorySearchIndex((roomId, id) => room(roomId).get(id) ?? null);
  const search = new SearchRules(
    {
      index,
      rooms: new MemorySearchRooms(listed, readable ?? listed),
      limiter: new MemoryUserLimiter(perWindow),
    },
    budget,
  );
  const clock = new MessageClock();
  const post = async (roomId: string, text: string, author = ada) => {
    const micros = clock.nextMicros();
    const message: ChatMessage = {
      id: newMessageId(micros),
      from: author.id,
      date: Math.floor(micros / 1e6),
      message: text,
      roomId,
    };
    room(roomId).set(message.id, message);
    await search.indexMessage(message);
    return message;
  };
  const edit = async (previous: ChatMessage, text: string) => {
    const message = { ...previous, message: text, edited: true };
    room(previous.roomId).set(message.id, message);
    await search.reindexMessage(previous, message);
  };
  const remove = async (previous: ChatMessage) => {
    room(previous.roomId).set(previous.id, { ...previous, message: '', deleted: true });
    await search.unindexMessages([previous]);
  };
  return { search, index, post, edit, remove };
}

const texts = (page: { hits: { message: { message: string } }[] }) =>
  page.hits.map((hit) => hit.message.message);

describe('search terms', () => {
  it('folds case and compatibility forms, and drops one-letter words', () => {
    expect(searchTerms('Hello, WORLD! a I ﬁne Ｆｕｌｌ Straße ÉCOLE 42')).toEqual([
      'hello',
      'world',
      'fine',
      'full',
      'straße',
      'école',
      '42',
    ]);
  });

  it('marks the words a query matched and gives the text back whole', () => {
    const parts = markMatches('Meet at the CAFÉ, café-bar!', ['café']);
    expect(parts.map((part) => part.text).join('')).toBe('Meet at the CAFÉ, café-bar!');
    expect(parts.filter((part) => part.match).map((part) => part.text)).toEqual(['CAFÉ', 'café']);
  });
});

describe('searching', () => {
  it('finds the messages containing every word, newest first, with the words to highlight', async () => {
    const { search, post } = setup();
    await post('0', 'the red apple');
    await post('0', 'a green apple');
    await post('0', 'RED pepper');
    await post('0', 'Red apples and a red APPLE');

    const page = await search.search(ada, { q: 'apple red', roomId: '0' });
    expect(texts(page)).toEqual(['Red apples and a red APPLE', 'the red apple']);
    expect(page.terms).toEqual(['apple', 'red']);
    expect(page.next).toBeNull();
  });

  it('pages through the hits without repeating or skipping one', async () => {
    const { search, post } = setup();
    for (let i = 0; i < 7; i++) await post('0', `note ${i}`);
    const seen: string[] = [];
    let before: string | undefined;
    for (let pages = 0; pages < 5; pages++) {
      const page = await search.search(ada, { q: 'note', roomId: '0', size: 3, before });
      seen.push(...texts(page));
      if (!page.next) break;
      before = page.next;
    }
    expect(seen).toEqual(['note 6', 'note 5', 'note 4', 'note 3', 'note 2', 'note 1', 'note 0']);
  });

  it('keeps the order across rooms and pages when a scan stops at its budget', async () => {
    // A budget of 2 entries per room and request: every scan stops early, the pages must still
    // hold every hit once, newest first.
    const { search, post } = setup({ budget: 2 });
    const expected: string[] = [];
    for (let i = 0; i < 6; i++) {
      const roomId = i % 2 === 0 ? '0' : '1:2';
      await post(roomId, `plan ${i} ${i % 3 === 0 ? 'other' : 'go'}`);
      if (i % 3 !== 0) expected.unshift(`plan ${i} go`);
    }
    const seen: string[] = [];
    let before: string | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const page = await search.search(ada, { q: 'plan go', size: 2, before });
      seen.push(...texts(page));
      if (!page.next) break;
      before = page.next;
    }
    expect(seen).toEqual(expected);
  });

  it('searches all the rooms the user can read, merged newest first, and no others', async () => {
    const { search, post } = setup({
      listed: { '1': ['0', '1:2', '7'], '2': ['0', '1:2'] },
      // Ada left room 7 since her list was read: it must not be searched.
      readable: { '1': ['0', '1:2'], '2': ['0', '1:2'] },
    });
    await post('0', 'lunch in general');
    await post('1:2', 'lunch between us', bruno);
    await post('7', 'lunch in a room Ada left');
    await post('3:4', 'lunch of others');

    const page = await search.search(ada, { q: 'lunch' });
    expect(texts(page)).toEqual(['lunch between us', 'lunch in general']);
    expect(page.hits.map((hit) => hit.message.roomId)).toEqual(['1:2', '0']);
  });

  it('refuses a room the user cannot read', async () => {
    const { search } = setup();
    expect(await refusal(search.search(bruno, { q: 'lunch', roomId: '7' }))).toMatchObject({
      code: 'not_member',
    });
  });

  it('follows edits and deletes', async () => {
    const { search, index, post, edit, remove } = setup();
    const message = await post('0', 'meet at noon');
    await edit(message, 'meet at dawn');
    expect(texts(await search.search(ada, { q: 'noon' }))).toEqual([]);
    expect(texts(await search.search(ada, { q: 'dawn meet' }))).toEqual(['meet at dawn']);

    await remove({ ...message, message: 'meet at dawn' });
    expect(texts(await search.search(ada, { q: 'meet' }))).toEqual([]);
    expect(index.size('0', 'meet')).toBe(0);
  });

  it('forgets messages trimmed by retention', async () => {
    const { search, index, post } = setup();
    const old = await post('0', 'ancient history');
    await post('0', 'recent history');
    await search.unindexMessages([old]);
    expect(texts(await search.search(ada, { q: 'history' }))).toEqual(['recent history']);
    expect(index.size('0', 'ancient')).toBe(0);
  });

  it('refuses a query without a word to search for, naming the rule', async () => {
    const { search } = setup();
    expect(await refusal(search.search(ada, { q: 'a ! ?' }))).toEqual(
      expect.objectContaining({
        code: 'bad_request',
        message: 'q must contain a word of at least 2 letters or digits',
      }),
    );
  });

  it('limits searches per user', async () => {
    const { search } = setup({ perWindow: 2 });
    await search.search(ada, { q: 'one' });
    await search.search(ada, { q: 'two' });
    expect(await refusal(search.search(ada, { q: 'three' }))).toMatchObject({
      code: 'rate_limited',
      retryAfterS: 60,
    });
    // Another user has their own count.
    await expect(search.search(bruno, { q: 'four' })).resolves.toBeDefined();
  });
});
