import { describe, expect, it } from 'vitest';
import { refusal } from '../../testing/refusal.js';
import { MESSAGE_MAX_LENGTH } from '../../../protocol/limits.js';
import { sendMessagePayloadSchema } from '../../../protocol/schemas.js';
import { parseInput } from '../../kernel/validation.js';
import {
  MemoryAuthorMarkers,
  MemoryMentions,
  MemoryMessageStore,
  MemoryRooms,
  MemorySendLimiter,
} from './memory-store.js';
import type { Threads } from './ports.js';
import { MessageRules, SEND_RETRY_WINDOW_MS } from './rules.js';
import { encodeMessage } from './message-codec.js';

const ada = { id: '1', username: 'Ada' };
const bruno = { id: '2', username: 'Bruno' };
const chen = { id: '3', username: 'Chen' };

function setup({
  perSecond = 10,
  changesPerMinute = 60,
  threads,
}: { perSecond?: number; changesPerMinute?: number; threads?: Threads } = {}) {
  const clock = { ms: 0 };
  const store = new MemoryMessageStore(() => clock.ms);
  const rooms = new MemoryRooms();
  const mentions = new MemoryMentions({ Ada: '1', Bruno: '2' });
  const reads = new MemoryAuthorMarkers();
  const rules = new MessageRules({
    messages: store,
    sendLimit: new MemorySendLimiter(perSecond, 1000, () => clock.ms),
    changeLimit: new MemorySendLimiter(changesPerMinute, 60_000, () => clock.ms),
    rooms,
    mentions,
    reads,
    publishWithMessage: (message) => ({ channel: 'MESSAGES', message: message.id }),
    moderators: { isAdmin: (user) => user.username === 'Chen' },
    ...(threads ? { threads } : {}),
  });
  return { rules, store, rooms, mentions, reads, clock };
}

describe('posting', () => {
  it('stores the text as typed, with the author and date from the server', async () => {
    const { rules, store, reads } = setup();
    const { message } = await rules.post(ada, '0', '<b>hi</b>');
    expect(message).toMatchObject({ from: '1', message: '<b>hi</b>', roomId: '0' });
    expect(message.date).toBe(Math.floor(Number(message.id.split('-')[0]) / 1e6));
    expect(await rules.readPage(ada, '0', 0, 10)).toEqual([message]);
    // The author has read the room up to their message; interop's PUBLISH went with it.
    expect(reads.markers.get('1/0')).toBe(message.id);
    expect(store.published).toEqual([{ channel: 'MESSAGES', message: message.id }]);
  });

  it('stores a reply with the thread it joins, and history with each thread’s size', async () => {
    const threadOf = new Map<string, string>();
    const { rules, store } = setup({
      threads: {
        threadOf: async (_roomId, replyTo) => {
          const thread = threadOf.get(replyTo);
          if (!thread) throw new Error(`no message ${replyTo}`);
          return thread;
        },
        withSummaries: async (_roomId, list) =>
          list.map((m) => (threadOf.has(m.id) ? { ...m, replyCount: 1 } : m)),
      },
    });
    const { message: parent } = await rules.post(ada, '0', 'question');
    threadOf.set(parent.id, parent.id);
    const { message: reply } = await rules.post(bruno, '0', 'answer', undefined, parent.id);
    expect(reply.replyTo).toBe(parent.id);
    expect(await rules.readPage(ada, '0', 0, 10)).toEqual([reply, { ...parent, replyCount: 1 }]);
    // A refused reply stores nothing.
    await expect(rules.post(bruno, '0', 'lost', undefined, '9-none')).rejects.toThrow('no message');
    expect(store.rooms.get('0')).toHaveLength(2);
  });

  it('refuses a reply without the threads feature, rather than store a plain message', async () => {
    const { rules, store } = setup();
    const { message: parent } = await rules.post(ada, '0', 'question');
    expect(await refusal(rules.post(bruno, '0', 'answer', undefined, parent.id))).toMatchObject({
      code: 'bad_request',
      message: 'replies are not available on this server',
    });
    expect(store.rooms.get('0')).toHaveLength(1);
  });

  it('refuses text longer than the limit, naming it', () => {
    const payload = { roomId: '0', message: 'x'.repeat(MESSAGE_MAX_LENGTH + 1) };
    expect(() => parseInput(sendMessagePayloadSchema, payload)).toThrow(
      expect.objectContaining({
        code: 'bad_request',
        message: `message must be at most ${MESSAGE_MAX_LENGTH} characters`,
      }),
    );
    expect(() => parseInput(sendMessagePayloadSchema, { roomId: '0', message: '  ' })).toThrow(
      /must not be empty/,
    );
  });

  it('stores a retry with the same clientId once, and answers it with the first message', async () => {
    const { rules, store, mentions, clock } = setup();
    const first = await rules.post(ada, '0', 'once @Bruno', 'retry-0001');
    const retry = await rules.post(ada, '0', 'once @Bruno', 'retry-0001');
    expect(first.repeated).toBe(false);
    expect(retry).toEqual({ message: first.message, newPrivateRoom: null, repeated: true });
    expect(store.rooms.get('0')).toHaveLength(1);
    expect(store.published).toHaveLength(1);
    expect(mentions.indexed.size).toBe(1);
    // Another author's id, or another room, is another send; so is a retry after the window.
    expect((await rules.post(bruno, '0', 'once', 'retry-0001')).repeated).toBe(false);
    clock.ms += SEND_RETRY_WINDOW_MS;
    expect((await rules.post(ada, '0', 'once', 'retry-0001')).repeated).toBe(false);
    expect(store.rooms.get('0')).toHaveLength(3);
  });

  it('refuses a clientId that is not a short id, naming it', () => {
    for (const clientId of ['short', 'x'.repeat(65), 'has space-123', 42]) {
      expect(() =>
        parseInput(sendMessagePayloadSchema, { roomId: '0', message: 'hi', clientId }),
      ).toThrow(/clientId must be/);
    }
    const id = '3f2b8c1e-7d4a-4e2b-9c1a-5b6d7e8f9a0b';
    expect(
      parseInput(sendMessagePayloadSchema, { roomId: '0', message: 'hi', clientId: id }),
    ).toMatchObject({ clientId: id });
  });

  it('limits each author’s sends per second, and a refused send leaves nothing', async () => {
    const { rules, store, mentions, clock } = setup({ perSecond: 2 });
    await rules.post(ada, '0', 'one');
    await rules.post(ada, '0', 'two');
    const refused = await refusal(rules.post(ada, '0', 'three @Bruno'));
    expect(refused).toMatchObject({ code: 'rate_limited', retryAfterS: 1 });
    expect(refused.message).toBe('you are sending too fast; wait 1 s');
    expect(store.rooms.get('0')).toHaveLength(2);
    expect(mentions.indexed.size).toBe(0);
    // Another author has their own count; the next window lets Ada send again.
    await rules.post(bruno, '0', 'mine');
    clock.ms += 1000;
    await rules.post(ada, '0', 'four');
    expect(store.rooms.get('0')).toHaveLength(4);
  });

  it('records the mentions that count, once the message is stored', async () => {
    const { rules, mentions } = setup();
    const { message } = await rules.post(ada, '0', 'hello @Bruno');
    expect(message.mentions).toEqual(['2']);
    expect(mentions.indexed.get(`0/${message.id}`)).toEqual(['2']);
  });

  it('shows a private room with its first message only', async () => {
    const { rules, rooms } = setup();
    expect((await rules.post(ada, '1:2', 'first')).newPrivateRoom).toMatchObject({ id: '1:2' });
    expect((await rules.post(bruno, '1:2', 'second')).newPrivateRoom).toBeNull();
    expect((await rules.post(ada, '0', 'general')).newPrivateRoom).toBeNull();
    expect(rooms.started).toEqual(['1:2']);
  });

  it('keeps identical messages sent in the same millisecond, in order', async () => {
    const { rules } = setup();
    const first = await rules.post(ada, '0', 'same');
    const second = await rules.post(ada, '0', 'same');
    expect(first.message.id).not.toBe(second.message.id);
    const page = await rules.readPage(ada, '0', 0, 10);
    expect(page.map((m) => m.id)).toEqual([second.message.id, first.message.id]);
  });
});

describe('reading', () => {
  it('refuses the history of a room the reader may not use', async () => {
    const { rules } = setup();
    await rules.post(ada, '1:2', 'private');
    expect((await refusal(rules.readPage(chen, '1:2', 0, 10))).code).toBe('forbidden');
    expect((await refusal(rules.readAfter(chen, '1:2', '1-a', 10))).code).toBe('forbidden');
  });

  it('gives what followed a known message, oldest first', async () => {
    const { rules } = setup();
    const sent = [];
    for (const text of ['a', 'b', 'c', 'd']) sent.push((await rules.post(ada, '0', text)).message);
    const after = await rules.readAfter(ada, '0', sent[1]?.id ?? '', 10);
    expect(after.map((m) => m.message)).toEqual(['c', 'd']);
    expect((await rules.readAfter(ada, '0', sent[1]?.id ?? '', 1)).map((m) => m.message)).toEqual([
      'c',
    ]);
  });

  it('gives a message in context: itself and those around it, newest first', async () => {
    const { rules } = setup();
    const sent = [];
    for (const text of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) {
      sent.push((await rules.post(ada, '0', text)).message);
    }
    const around = await rules.readAround(ada, '0', sent[3]?.id ?? '', 5);
    expect(around.map((m) => m.message)).toEqual(['f', 'e', 'd', 'c', 'b']);
    // Near the start of the room there is less to show before it.
    const first = await rules.readAround(ada, '0', sent[0]?.id ?? '', 5);
    expect(first.map((m) => m.message)).toEqual(['c', 'b', 'a']);
    expect((await refusal(rules.readAround(chen, '1:2', sent[0]?.id ?? '', 5))).code).toBe(
      'forbidden',
    );
  });

  it('preloads General with its name and newest messages', async () => {
    const { rules } = setup();
    await rules.post(ada, '0', 'hello');
    expect(await rules.preloadGeneral(bruno)).toMatchObject({
      id: '0',
      name: 'General',
      messages: [{ message: 'hello' }],
    });
  });
});

describe('editing and deleting', () => {
  it('are for the author only', async () => {
    const { rules } = setup();
    const { message } = await rules.post(ada, '0', 'mine');
    expect(await refusal(rules.edit(bruno, '0', message.id, 'stolen'))).toMatchObject({
      code: 'not_author',
      message: 'you can only change your own messages',
    });
    expect((await refusal(rules.delete(bruno, '0', message.id))).code).toBe('not_author');
  });

  it('edit the text in place and the mentions with it', async () => {
    const { rules, mentions } = setup();
    const { message } = await rules.post(ada, '0', 'hi @Bruno');
    const { message: edited, changed } = await rules.edit(ada, '0', message.id, 'hi all');
    expect(changed).toBe(true);
    expect(edited).toEqual({ ...message, message: 'hi all', edited: true, mentions: undefined });
    expect(edited).not.toHaveProperty('mentions');
    expect(mentions.indexed.size).toBe(0);
    expect((await rules.readPage(ada, '0', 0, 1))[0]).toEqual(edited);
  });

  it('delete into a placeholder without text, which cannot be edited', async () => {
    const { rules } = setup();
    const { message } = await rules.post(ada, '0', 'oops');
    const { message: deleted, changed } = await rules.delete(ada, '0', message.id);
    expect(changed).toBe(true);
    expect(deleted).toMatchObject({ id: message.id, message: '', deleted: true });
    // Deleting again is a no-op, not to be broadcast.
    expect(await rules.delete(ada, '0', message.id)).toEqual({ message: deleted, changed: false });
    expect((await refusal(rules.edit(ada, '0', message.id, 'back'))).message).toBe(
      'a deleted message cannot be edited',
    );
  });

  it('delete for an administrator too, anyone’s message and its mentions; edit stays the author’s', async () => {
    const { rules, mentions } = setup();
    const { message } = await rules.post(ada, '0', 'spam @Bruno');
    expect((await refusal(rules.edit(chen, '0', message.id, 'x'))).code).toBe('not_author');
    const { message: deleted } = await rules.delete(chen, '0', message.id);
    expect(deleted).toMatchObject({ id: message.id, from: '1', message: '', deleted: true });
    expect(mentions.indexed.size).toBe(0);
  });

  it('delete from the command line without a requester; null for an unknown message', async () => {
    const { rules } = setup();
    const { message } = await rules.post(ada, '0', 'gone');
    expect(await rules.deleteAsOperator('0', message.id)).toMatchObject({
      message: { deleted: true },
      changed: true,
    });
    expect((await rules.readPage(ada, '0', 0, 1))[0]).toMatchObject({ message: '' });
    expect(await rules.deleteAsOperator('0', '1-nothing')).toBeNull();
  });

  it('pages a room oldest first, past messages that share a score, without loss or repeat', async () => {
    const { rules, store } = setup();
    // Scores 1, 2, 2, 2, 2, 3, 4, 4: pages of two cut through the run of equal scores.
    const scores = [1, 2, 2, 2, 2, 3, 4, 4];
    for (const [i, score] of scores.entries()) {
      const message = { id: `${score}-m${i}`, from: '1', date: 1, message: `m${i}`, roomId: '0' };
      await store.append('0', encodeMessage(message), score, null);
    }
    const pages: string[][] = [];
    for await (const page of rules.pagesOldestFirst('0', 2)) pages.push(page.map((m) => m.message));
    expect(pages).toEqual([
      ['m0', 'm1'],
      ['m2', 'm3'],
      ['m4', 'm5'],
      ['m6', 'm7'],
    ]);
    const single: string[] = [];
    for await (const page of rules.pagesOldestFirst('0', 3))
      single.push(...page.map((m) => m.message));
    expect(single).toEqual(scores.map((_, i) => `m${i}`));
    const none: unknown[] = [];
    for await (const page of rules.pagesOldestFirst('9', 2)) none.push(page);
    expect(none).toEqual([]);
  });

  it('an edit to the same text changes nothing and is not to be broadcast', async () => {
    const { rules } = setup();
    const { message } = await rules.post(ada, '0', 'same');
    expect(await rules.edit(ada, '0', message.id, 'same')).toEqual({ message, changed: false });
  });

  it('are limited per author per minute, with the wait to retry', async () => {
    const { rules, clock } = setup({ changesPerMinute: 3 });
    const { message } = await rules.post(ada, '0', 'draft');
    for (const text of ['one', 'two', 'three']) {
      expect((await rules.edit(ada, '0', message.id, text)).changed).toBe(true);
    }
    expect(await refusal(rules.edit(ada, '0', message.id, 'four'))).toMatchObject({
      code: 'rate_limited',
      retryAfterS: 60,
      limit: 'message_change',
    });
    expect((await refusal(rules.delete(ada, '0', message.id))).code).toBe('rate_limited');
    // Another author is not affected; the window ends.
    const { message: other } = await rules.post(bruno, '0', 'x');
    expect((await rules.edit(bruno, '0', other.id, 'y')).changed).toBe(true);
    clock.ms += 60_000;
    expect((await rules.delete(ada, '0', message.id)).changed).toBe(true);
  });

  it('answer "does not exist" for an unknown message', async () => {
    const { rules } = setup();
    expect(await refusal(rules.edit(ada, '0', '1-nothing', 'x'))).toMatchObject({
      code: 'not_found',
      message: 'message 1-nothing does not exist in room 0',
    });
  });
});

describe('message texts as characters', () => {
  it('are stored composed (NFC), with newlines and tabs kept', async () => {
    const { rules } = setup();
    const { message } = await rules.post(ada, '0', 'cafe\u0301\n\tnext line');
    expect(message.message).toBe('caf\u00E9\n\tnext line');
    const edited = await rules.edit(ada, '0', message.id, 'Cafe\u0301!');
    expect(edited.message.message).toBe('Caf\u00E9!');
  });

  it.each([
    ['control_characters', 'bell\u0007'],
    ['control_characters', 'carriage\rreturn'],
    ['control_characters', 'escape \u001B[31m red'],
    ['control_characters', 'next line\u0085'],
    ['bidi_controls', 'invoice\u202Efdp.exe'],
    ['bidi_controls', 'a\u2066b\u2069'],
    ['bidi_controls', 'embedded\u202Atext\u202C'],
    ['invisible_text', '\u200B'],
    ['invisible_text', '\u200D\u2060 \uFEFF\n'],
  ])('refuse %s: %j, in a post and in an edit', async (code, text) => {
    const { rules } = setup();
    const posted = await refusal(rules.post(ada, '0', text));
    expect(posted.code).toBe(code);
    expect(posted.message).toMatch(/^a message /);
    const { message } = await rules.post(ada, '0', 'fine');
    expect((await refusal(rules.edit(ada, '0', message.id, text))).code).toBe(code);
  });

  it('accept right-to-left text and emoji sequences', async () => {
    const { rules } = setup();
    for (const text of ['مرحبا بالعالم', 'שלום', '👨‍👩‍👧 family', 'a\u200Db']) {
      expect((await rules.post(ada, '0', text)).message.message).toBe(text);
    }
  });
});
