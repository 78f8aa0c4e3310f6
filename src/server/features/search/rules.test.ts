import { describe, expect, it } from 'vitest';
import { markMatches, searchTerms } from '../../../protocol/search-terms.js';
import { DomainEvents } from '../../kernel/domain-events.js';
import {
  MemoryAuthorMarkers,
  MemoryMentions,
  MemoryMessageStore,
  MemoryRooms,
  MemorySendLimiter,
} from '../messages/memory-store.js';
import { MessageRules } from '../messages/rules.js';
import { refusal } from '../../testing/refusal.js';
import { MemorySearchIndex, MemorySearchLimiter, MemorySearchRooms } from './memory-store.js';
import { SearchRules } from './rules.js';

const ada = { id: '1', username: 'Ada' };
const bruno = { id: '2', username: 'Bruno' };

/** Messages posted through the message rules, indexed through their events, as the app wires it. */
function setup({
  perWindow = 1000,
  budget = 5000,
  listed = { '1': ['0', '1:2', '7'], '2': ['0', '1:2'] } as Record<string, string[]>,
  readable = undefined as Record<string, string[]> | undefined,
} = {}) {
  const store = new MemoryMessageStore();
  const events = new DomainEvents();
  const messages = new MessageRules({
    messages: store,
    sendLimit: new MemorySendLimiter(1e9, 1000, () => 0),
    rooms: new MemoryRooms(),
    mentions: new MemoryMentions({}),
    reads: new MemoryAuthorMarkers(),
    events,
  });
  const index = new MemorySearchIndex((roomId, score) =>
    (store.rooms.get(roomId) ?? []).filter((stored) => stored.score === score),
  );
  const search = new SearchRules(
    {
      index,
      rooms: new MemorySearchRooms(listed, readable ?? listed),
      limiter: new MemorySearchLimiter(perWindow),
    },
    budget,
  );
  events.on('message.posted', ({ message }) => search.indexMessage(message));
  events.on('message.edited', ({ previous, message }) => search.reindexMessage(previous, message));
  events.on('message.deleted', ({ previous }) => search.unindexMessages([previous]));
  const post = async (roomId: string, text: string, author = ada) =>
    (await messages.post(author, roomId, text)).message;
  return { messages, search, index, post };
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
    const { search, messages, index, post } = setup();
    const message = await post('0', 'meet at noon');
    await messages.edit(ada, '0', message.id, 'meet at dawn');
    expect(texts(await search.search(ada, { q: 'noon' }))).toEqual([]);
    expect(texts(await search.search(ada, { q: 'dawn meet' }))).toEqual(['meet at dawn']);

    await messages.delete(ada, '0', message.id);
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
