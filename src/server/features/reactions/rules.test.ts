import { describe, expect, it } from 'vitest';
import { REACTIONS_PER_MESSAGE_MAX } from '../../../protocol/limits.js';
import { MemoryUserLimiter } from '../../testing/memory-user-limiter.js';
import { refusal } from '../../testing/refusal.js';
import { MemoryMessages, MemoryReactionStore, MemoryRoomAccess } from './memory-store.js';
import { ReactionRules } from './rules.js';

const ada = { id: '1', username: 'Ada' };
const bruno = { id: '2', username: 'Bruno' };
const chen = { id: '3', username: 'Chen' };

function setup(changesAllowed = 1000) {
  const reactions = new MemoryReactionStore();
  const limiter = new MemoryUserLimiter(changesAllowed);
  const rooms = new MemoryRoomAccess();
  const messages = new MemoryMessages();
  for (const user of ['1', '2']) rooms.allowed.add(`${user}/1:2`);
  messages.add({ id: '1000000-a', from: '1', date: 1, message: 'hi', roomId: '1:2' });
  messages.add({
    id: '2000000-b',
    from: '1',
    date: 2,
    message: '',
    roomId: '1:2',
    deleted: true,
  });
  return { rules: new ReactionRules({ reactions, limiter, rooms, messages }), limiter };
}

describe('reactions', () => {
  it('list who reacted with each emoji, first emoji first, and come off again', async () => {
    const { rules } = setup();
    await rules.add(ada, '1:2', '1000000-a', '👍');
    await rules.add(bruno, '1:2', '1000000-a', '🎉');
    const both = await rules.add(bruno, '1:2', '1000000-a', '👍');
    expect(both).toEqual({
      changed: true,
      reactions: {
        roomId: '1:2',
        messageId: '1000000-a',
        reactions: [
          { emoji: '👍', userIds: ['1', '2'] },
          { emoji: '🎉', userIds: ['2'] },
        ],
      },
    });
    const removed = await rules.remove(bruno, '1:2', '1000000-a', '🎉');
    expect(removed.reactions.reactions).toEqual([{ emoji: '👍', userIds: ['1', '2'] }]);
  });

  it('change nothing when added twice or removed when absent, and say so', async () => {
    const { rules } = setup();
    await rules.add(ada, '1:2', '1000000-a', '👍');
    expect((await rules.add(ada, '1:2', '1000000-a', '👍')).changed).toBe(false);
    expect((await rules.remove(bruno, '1:2', '1000000-a', '👍')).changed).toBe(false);
    expect((await rules.remove(ada, '1:2', '1000000-a', '👍')).reactions.reactions).toEqual([]);
  });

  it(`stop at ${REACTIONS_PER_MESSAGE_MAX} different emoji, while a used one can still be added`, async () => {
    const { rules } = setup();
    const emoji = [...'😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙🥲😚🙂🤗'];
    for (const one of emoji.slice(0, REACTIONS_PER_MESSAGE_MAX)) {
      await rules.add(ada, '1:2', '1000000-a', one);
    }
    expect(await refusal(rules.add(bruno, '1:2', '1000000-a', emoji[20]!))).toMatchObject({
      code: 'limit_reached',
      message: 'a message can carry at most 20 different reactions',
    });
    expect((await rules.add(bruno, '1:2', '1000000-a', emoji[0]!)).changed).toBe(true);
  });

  it('are for messages that exist and are not deleted', async () => {
    const { rules } = setup();
    expect(await refusal(rules.add(ada, '1:2', '3000000-c', '👍'))).toMatchObject({
      code: 'not_found',
      message: 'message 3000000-c does not exist in room 1:2',
    });
    expect(await refusal(rules.add(ada, '1:2', '2000000-b', '👍'))).toMatchObject({
      code: 'bad_request',
      message: 'a deleted message cannot get reactions',
    });
    expect((await rules.remove(ada, '1:2', '2000000-b', '👍')).changed).toBe(false);
  });

  it('count every change per user against the limit, refused ones included', async () => {
    const { rules } = setup(2);
    await rules.add(ada, '1:2', '1000000-a', '👍');
    await rules.remove(ada, '1:2', '1000000-a', '👍');
    expect(await refusal(rules.add(ada, '1:2', '1000000-a', '👍'))).toMatchObject({
      code: 'rate_limited',
      retryAfterS: 60,
      message: 'you are changing reactions too fast; wait 60 s',
    });
    // Another user has their own count.
    expect((await rules.add(bruno, '1:2', '1000000-a', '👍')).changed).toBe(true);
  });

  it('are read only by those who may use the room', async () => {
    const { rules } = setup();
    await rules.add(ada, '1:2', '1000000-a', '👍');
    expect(await rules.read(bruno, '1:2', ['1000000-a', '9000000-z'])).toEqual([
      { roomId: '1:2', messageId: '1000000-a', reactions: [{ emoji: '👍', userIds: ['1'] }] },
      { roomId: '1:2', messageId: '9000000-z', reactions: [] },
    ]);
    expect((await refusal(rules.read(chen, '1:2', ['1000000-a']))).code).toBe('forbidden');
  });
});
