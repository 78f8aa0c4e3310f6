/** Read receipts: how far the other member of a private room read, and where "Seen" goes. */
import { describe, expect, it } from 'vitest';
import { chatReducer, type ChatAction, type ChatState } from '../../screens/chat-state.js';
import { freshState } from '../../test/chat-harness.js';
import { testMessage as message } from '../../test/test-messages.js';
import { selectSeenMessageId } from './receipts-slice.js';

const run = (state: ChatState, ...actions: ChatAction[]) => actions.reduce(chatReducer, state);

describe('read receipts', () => {
  it('put "Seen" under our newest message the other member read, as they read on', () => {
    // The harness signs in user 1; the private room 1:2 is with user 2.
    const first = message('1', 'are you there?', '1:2');
    const second = message('1', 'hello?', '1:2');
    let state = run(
      freshState(),
      { type: 'room.added', room: { id: '1:2', names: ['Pablo', 'Joe'] } },
      { type: 'page.started', roomId: '1:2', older: false },
      { type: 'page.loaded', roomId: '1:2', messages: [second, first], size: 30, older: false },
    );
    expect(selectSeenMessageId(state, '1:2')).toBeNull();
    const seen = (lastReadId: string | null): ChatAction => ({
      type: 'receipt.received',
      receipt: { roomId: '1:2', userId: '2', lastReadId },
    });
    state = run(state, seen(null), seen(first.id));
    expect(selectSeenMessageId(state, '1:2')).toBe(first.id);
    // An older receipt arriving late does not take it back.
    state = run(state, seen(second.id), seen(first.id));
    expect(selectSeenMessageId(state, '1:2')).toBe(second.id);

    // Their answer means they read everything before it.
    const mine = message('1', 'still there?', '1:2');
    const theirs = message('2', 'yes', '1:2');
    state = run(state, { type: 'messages.arrived', messages: [mine] });
    expect(selectSeenMessageId(state, '1:2')).toBe(second.id);
    state = run(state, { type: 'messages.arrived', messages: [theirs] });
    expect(selectSeenMessageId(state, '1:2')).toBe(mine.id);
    // Nobody's receipt counts in General.
    state = run(state, { type: 'messages.arrived', messages: [message('2', 'hi all')] });
    expect(state.receipts['0']).toBeUndefined();
  });
});
