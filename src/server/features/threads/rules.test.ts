import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../protocol/models.js';
import { refusal } from '../../testing/refusal.js';
import { MemoryMessages, MemoryRoomAccess, MemoryThreadStore } from './memory-store.js';
import { ThreadRules } from './rules.js';

const ada = { id: '1', username: 'Ada' };
const chen = { id: '3', username: 'Chen' };

const message = (id: string, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  id,
  from: '1',
  date: Number(id.split('-')[0]) / 1e6,
  message: `text of ${id}`,
  roomId: '0',
  ...extra,
});

function setup(repliesMax = 1000) {
  const threads = new MemoryThreadStore();
  const rooms = new MemoryRoomAccess();
  const messages = new MemoryMessages();
  rooms.allowed.add('1/0');
  messages.add(message('1000000-root'));
  return { rules: new ThreadRules({ threads, rooms, messages, repliesMax }), messages, threads };
}

/** Stores a reply as the messages feature would, then lists it. */
async function reply(
  { rules, messages }: ReturnType<typeof setup>,
  to: string,
  id: string,
  extra: Partial<ChatMessage> = {},
) {
  const stored = message(id, { replyTo: await rules.threadOf('0', to), ...extra });
  messages.add(stored);
  return { stored, summary: await rules.replied(stored) };
}

describe('threads', () => {
  it('gather replies under the message they answer, with its count and newest reply', async () => {
    const world = setup();
    const first = await reply(world, '1000000-root', '2000000-a');
    expect(first.stored.replyTo).toBe('1000000-root');
    expect(first.summary).toEqual({
      roomId: '0',
      messageId: '1000000-root',
      replyCount: 1,
      lastReplyId: '2000000-a',
      lastReplyAt: 2,
    });
    // Replying to a reply joins the same thread: threads are one level deep.
    const second = await reply(world, '2000000-a', '3000000-b');
    expect(second.stored.replyTo).toBe('1000000-root');
    expect(second.summary?.replyCount).toBe(2);

    const page = await world.rules.withSummaries('0', [
      message('1000000-root'),
      first.stored,
      second.stored,
    ]);
    expect(page[0]).toMatchObject({ replyCount: 2, lastReplyId: '3000000-b', lastReplyAt: 3 });
    expect(page[1]).toEqual(first.stored);
    expect(await world.rules.replied(message('4000000-c'))).toBeNull();
  });

  it('answer only messages of the same room', async () => {
    const { rules } = setup();
    expect(await refusal(rules.threadOf('0', '9000000-none'))).toMatchObject({
      code: 'not_found',
      message: 'message 9000000-none does not exist in room 0',
    });
    expect((await refusal(rules.threadOf('5', '1000000-root'))).code).toBe('not_found');
  });

  it('keep a deleted first message’s thread, and may still grow it', async () => {
    const world = setup();
    await reply(world, '1000000-root', '2000000-a');
    world.messages.add(message('1000000-root', { message: '', deleted: true }));
    const more = await reply(world, '1000000-root', '3000000-b');
    expect(more.summary?.replyCount).toBe(2);
    const page = await world.rules.read(ada, '0', '1000000-root', undefined, 50);
    expect(page.parent).toMatchObject({ deleted: true, replyCount: 2 });
    expect(page.replies.map((r) => r.id)).toEqual(['2000000-a', '3000000-b']);
  });

  it('stop at the configured number of replies', async () => {
    const world = setup(2);
    await reply(world, '1000000-root', '2000000-a');
    await reply(world, '1000000-root', '3000000-b');
    expect(await refusal(world.rules.threadOf('0', '2000000-a'))).toMatchObject({
      code: 'limit_reached',
      message: 'a thread can hold at most 2 replies; start a new message',
    });
  });

  it('page from the newest replies back, oldest first within a page', async () => {
    const world = setup();
    for (const id of ['2000000-a', '3000000-b', '4000000-c', '5000000-d', '5000000-e']) {
      await reply(world, '1000000-root', id);
    }
    const newest = await world.rules.read(ada, '0', '1000000-root', undefined, 2);
    expect(newest.replies.map((r) => r.id)).toEqual(['5000000-d', '5000000-e']);
    expect(newest.hasOlder).toBe(true);
    // The cursor shares its score with another reply: that one still comes, once.
    const next = await world.rules.read(ada, '0', '1000000-root', '5000000-e', 2);
    expect(next.replies.map((r) => r.id)).toEqual(['4000000-c', '5000000-d']);
    const last = await world.rules.read(ada, '0', '1000000-root', '4000000-c', 10);
    expect(last.replies.map((r) => r.id)).toEqual(['2000000-a', '3000000-b']);
    expect(last.hasOlder).toBe(false);
  });

  it('are read only by those who may use the room, and only when there is one', async () => {
    const { rules } = setup();
    expect((await refusal(rules.read(chen, '0', '1000000-root', undefined, 10))).code).toBe(
      'forbidden',
    );
    expect(await refusal(rules.read(ada, '0', '9000000-none', undefined, 10))).toMatchObject({
      code: 'not_found',
    });
    expect(await rules.read(ada, '0', '1000000-root', undefined, 10)).toMatchObject({
      replies: [],
      hasOlder: false,
    });
  });
});
