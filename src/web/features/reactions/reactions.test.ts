import { describe, expect, it } from 'vitest';
import { findEmoji } from './EmojiPicker.js';
import { reactorNames } from './ReactionBar.js';
import {
  initialReactionsState,
  reactionsReducer,
  selectReactionRefusal,
  selectReactions,
} from './reactions-slice.js';

describe('the reactions slice', () => {
  it('replaces a message’s reactions and forgets a message left without any', () => {
    let slice = initialReactionsState();
    const thumbs = [{ emoji: '👍', userIds: ['1'] }];
    slice = reactionsReducer(slice, {
      type: 'reactions.received',
      list: [
        { roomId: '0', messageId: '1-a', reactions: thumbs },
        { roomId: '0', messageId: '2-b', reactions: [] },
      ],
    });
    const state = { reactions: slice };
    expect(selectReactions(state, '0', '1-a')).toEqual(thumbs);
    expect(selectReactions(state, '0', '2-b')).toEqual([]);
    expect(Object.keys(slice.byMessage)).toEqual(['0/1-a']);
    const same = reactionsReducer(slice, {
      type: 'reactions.received',
      list: [{ roomId: '0', messageId: '9-z', reactions: [] }],
    });
    expect(same).toBe(slice);
    slice = reactionsReducer(slice, {
      type: 'reactions.received',
      list: [{ roomId: '0', messageId: '1-a', reactions: [] }],
    });
    expect(slice.byMessage).toEqual({});
  });

  it('keeps a refusal until the next try on that message', () => {
    let slice = reactionsReducer(initialReactionsState(), {
      type: 'reaction.refused',
      roomId: '0',
      messageId: '1-a',
      reason: 'You are offline.',
    });
    expect(selectReactionRefusal({ reactions: slice }, '0', '1-a')).toBe('You are offline.');
    slice = reactionsReducer(slice, { type: 'reaction.tried', roomId: '0', messageId: '1-a' });
    expect(selectReactionRefusal({ reactions: slice }, '0', '1-a')).toBeNull();
  });
});

describe('reactions', () => {
  it('name who reacted as a sentence', () => {
    expect(reactorNames(['you'])).toBe('you');
    expect(reactorNames(['Ada', 'you'])).toBe('Ada and you');
    expect(reactorNames(['Ada', 'Bruno', 'you'])).toBe('Ada, Bruno and you');
  });

  it('find emoji by every word of their name, names starting with it first, each once', () => {
    const table = new Map([
      ['heart', '❤️'],
      ['red_heart', '❤️'],
      ['broken_heart', '💔'],
      ['heart_eyes', '😍'],
      ['tada', '🎉'],
    ]);
    expect(findEmoji(table, 'heart').map((found) => found.emoji)).toEqual(['❤️', '😍', '💔']);
    expect(findEmoji(table, 'heart eyes')).toEqual([{ emoji: '😍', name: 'heart eyes' }]);
    expect(findEmoji(table, '  ')).toEqual([]);
    expect(findEmoji(table, 'nothing')).toEqual([]);
  });
});
