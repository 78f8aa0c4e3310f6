/** The rooms slice: rooms known from messages, rooms left, member lists. */
import { describe, expect, it } from 'vitest';
import { freshState, roomView, withGeneralLoaded } from '../../test/chat-harness.js';
import { testMessage as message } from '../../test/test-messages.js';
import { chatReducer, type ChatAction, type ChatState } from '../../screens/chat-state.js';

const run = (state: ChatState, ...actions: ChatAction[]) => actions.reduce(chatReducer, state);

describe('rooms-slice', () => {
  it('adds an unknown private room when a message arrives in it, named from known users', () => {
    const state = run(
      withGeneralLoaded(),
      {
        type: 'users.loaded',
        users: { '3': { id: '3', username: 'Mary', online: true } },
        onlineSnapshot: false,
      },
      { type: 'messages.arrived', messages: [message('3', 'hello', '1:3')] },
    );
    expect(roomView(state, '1:3')!.summary.names).toEqual(['Pablo', 'Mary']);
    expect(roomView(state, '1:3')!.unread).toBe(1);
    expect(roomView(state, '1:3')!.lastMessage?.message).toBe('hello');
  });

  it('drops a room the user left, falling back to General when it was open', () => {
    let state = run(
      freshState(),
      { type: 'room.added', room: { id: '5', names: ['design'], kind: 'group' } },
      { type: 'room.opened', roomId: '5' },
      { type: 'room.left', roomId: '5' },
    );
    expect(roomView(state, '5')).toBeUndefined();
    expect(state.openRoom.roomId).toBe('0');
    // General is never dropped.
    state = run(state, { type: 'room.left', roomId: '0' });
    expect(roomView(state, '0')).toBeDefined();
  });

  it('keeps a loaded member list in step with joins and leaves, sorted by name', () => {
    let state = run(
      freshState(),
      { type: 'room.added', room: { id: '5', names: ['design'], kind: 'group' } },
      // A change before the list is loaded is left to the load.
      {
        type: 'member.changed',
        change: { roomId: '5', user: { id: '9', username: 'Zed' }, joined: true },
      },
    );
    expect(roomView(state, '5')!.members).toBeNull();
    state = run(
      state,
      {
        type: 'members.listed',
        roomId: '5',
        members: [
          { id: '1', username: 'Pablo', online: true },
          { id: '3', username: 'Mary', online: false },
        ],
      },
      {
        type: 'member.changed',
        change: { roomId: '5', user: { id: '2', username: 'Joe' }, joined: true },
      },
      {
        type: 'member.changed',
        change: { roomId: '5', user: { id: '3', username: 'Mary' }, joined: false },
      },
    );
    expect(roomView(state, '5')!.members!.map((member) => member.username)).toEqual([
      'Joe',
      'Pablo',
    ]);
    // The names are known to the timeline too.
    expect(state.users['2']?.username).toBe('Joe');
  });
});
