/** Who is typing, as the reducers keep it. */
import { describe, expect, it } from 'vitest';
import { roomView, withGeneralLoaded } from '../../test/chat-harness.js';
import { testMessage as message } from '../../test/test-messages.js';
import { chatReducer, type ChatAction, type ChatState } from '../../screens/chat-state.js';

const run = (state: ChatState, ...actions: ChatAction[]) => actions.reduce(chatReducer, state);

describe('typing-slice', () => {
  it('shows typists until they stop, send, or their notice expires; never the reader', () => {
    const notice = (userId: string, username: string, typing: boolean) => ({
      type: 'typing.changed' as const,
      notice: { roomId: '0', userId, username, typing },
      until: 5000,
    });
    let state = run(
      withGeneralLoaded(),
      notice('2', 'Joe', true),
      notice('3', 'Mary', true),
      notice('1', 'Pablo', true),
    );
    expect(roomView(state, '0')!.typists.map((typist) => typist.username)).toEqual(['Joe', 'Mary']);

    // Mary's message arrives: she is done typing.
    state = run(state, { type: 'messages.arrived', messages: [message('3', 'done')] });
    expect(roomView(state, '0')!.typists.map((typist) => typist.username)).toEqual(['Joe']);

    // Joe renews later than the first notice; an expiry check in between keeps him.
    state = run(
      state,
      { ...notice('2', 'Joe', true), until: 9000 },
      { type: 'typing.expired', roomId: '0', now: 6000 },
    );
    expect(roomView(state, '0')!.typists).toHaveLength(1);
    state = run(state, { type: 'typing.expired', roomId: '0', now: 9000 });
    expect(roomView(state, '0')!.typists).toEqual([]);

    state = run(state, notice('2', 'Joe', true), notice('2', 'Joe', false));
    expect(roomView(state, '0')!.typists).toEqual([]);
  });
});
