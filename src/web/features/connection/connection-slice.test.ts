/** The connection's status. */
import { describe, expect, it } from 'vitest';
import { freshState } from '../../test/chat-harness.js';
import { chatReducer, type ChatAction, type ChatState } from '../../screens/chat-state.js';

const run = (state: ChatState, ...actions: ChatAction[]) => actions.reduce(chatReducer, state);

describe('connection-slice', () => {
  it('shows "back online" only after a lost connection comes back', () => {
    let state = run(freshState(), { type: 'connection.changed', status: 'online', at: 5 });
    expect(state.connection.reconnectedAt).toBeNull();
    state = run(
      state,
      { type: 'connection.changed', status: 'offline', at: 6 },
      { type: 'connection.changed', status: 'online', at: 7 },
    );
    expect(state.connection.reconnectedAt).toBe(7);
  });
});
