/** The open room and the address's room at start. */
import { describe, expect, it } from 'vitest';
import { freshState, roomView } from '../../test/chat-harness.js';
import { chatReducer, type ChatAction, type ChatState } from '../../screens/chat-state.js';

const run = (state: ChatState, ...actions: ChatAction[]) => actions.reduce(chatReducer, state);

describe('open-room-slice', () => {
  it('opens the room the address named once the room list confirms it, keeping General unread', () => {
    const general = { id: '0', names: ['General'], kind: 'general' as const, unread: 2 };
    const withMary = { id: '1:3', names: ['Pablo', 'Mary'], unread: 1 };
    let state = freshState('1:3');
    expect(state.openRoom.opening).toBe('1:3');
    expect(state.openRoom.roomId).toBe('0');

    state = run(state, { type: 'rooms.listed', rooms: [general, withMary] });
    expect(state.openRoom.opening).toBeNull();
    expect(state.openRoom.roomId).toBe('1:3');
    expect(roomView(state, '1:3')!.unread).toBe(0);
    expect(roomView(state, '0')!.unread).toBe(2);
  });

  it('falls back to General when the address names a room the user is not in', () => {
    let state = freshState('7:8');
    state = run(state, { type: 'rooms.listed', rooms: [{ id: '0', names: ['General'] }] });
    expect(state.openRoom.roomId).toBe('0');
    expect(state.openRoom.opening).toBeNull();

    state = run(freshState('1:3'), { type: 'opening.abandoned' });
    expect(state.openRoom.opening).toBeNull();
    expect(freshState('0').openRoom.opening).toBeNull();
  });
});
