/** Unread counts: messages of others while a room is not open, mentions, read markers. */
import { describe, expect, it } from 'vitest';
import { freshState, roomView, withGeneralLoaded } from '../../test/chat-harness.js';
import { testMessage as message } from '../../test/test-messages.js';
import { chatReducer, type ChatAction, type ChatState } from '../../screens/chat-state.js';

const run = (state: ChatState, ...actions: ChatAction[]) => actions.reduce(chatReducer, state);

describe('unread-slice', () => {
  it('counts unread messages of others in rooms that are not shown, once each', () => {
    const privateMessage = message('2', 'psst', '1:2');
    let state = run(
      withGeneralLoaded(),
      { type: 'room.added', room: { id: '1:2', names: ['Pablo', 'Joe'] } },
      { type: 'messages.arrived', messages: [privateMessage] },
      { type: 'messages.arrived', messages: [privateMessage] },
      { type: 'messages.arrived', messages: [message('3', 'in general')] },
    );
    expect(roomView(state, '1:2')!.unread).toBe(1);
    expect(roomView(state, '1:2')!.lastMessage?.message).toBe('psst');
    expect(roomView(state, '0')!.unread).toBe(0);
    // Answering (from another tab) means the room was read.
    state = run(state, { type: 'messages.arrived', messages: [message('1', 'mine', '1:2')] });
    expect(roomView(state, '1:2')!.unread).toBe(0);
    expect(roomView(state, '1:2')!.lastMessage?.message).toBe('mine');
    expect(roomView(state, '0')!.unread).toBe(0);
    state = run(state, { type: 'room.opened', roomId: '1:2' });
    expect(roomView(state, '1:2')!.unread).toBe(0);
    expect(state.openRoom.roomId).toBe('1:2');
  });

  it("takes the server's unread counts, except where our own message is the newest", () => {
    const state = run(withGeneralLoaded(), {
      type: 'rooms.listed',
      rooms: [
        { id: '1:2', names: ['Pablo', 'Joe'], unread: 3, lastMessage: message('2', 'hey', '1:2') },
        { id: '1:3', names: ['Pablo', 'Mary'], unread: 1, lastMessage: message('1', 'ok', '1:3') },
      ],
    });
    expect(roomView(state, '1:2')!.unread).toBe(3);
    expect(roomView(state, '1:3')!.unread).toBe(0);
    expect(state.users['3']?.username).toBe('Mary');
  });

  it('counts mentions of the reader apart from other unread messages, and clears both on read', () => {
    let state = withGeneralLoaded();
    const plain = message('2', 'hello', '5');
    const mention = { ...message('2', 'hey @Pablo', '5'), mentions: ['1'] };
    const other = { ...message('2', 'hey @Joe', '5'), mentions: ['3'] };
    state = run(
      state,
      { type: 'room.added', room: { id: '5', names: ['design'], kind: 'group' } },
      { type: 'messages.arrived', messages: [plain, mention, other] },
    );
    expect(roomView(state, '5')!).toMatchObject({ unread: 3, mentions: 1 });

    // Another tab read up to the newest message.
    state = run(state, { type: 'room.read', marker: { roomId: '5', lastReadId: other.id } });
    expect(roomView(state, '5')!).toMatchObject({ unread: 0, mentions: 0 });
  });

  it('takes unread mentions from the room list and clears them when the room is opened', () => {
    let state = run(freshState(), {
      type: 'rooms.listed',
      rooms: [{ id: '5', names: ['design'], kind: 'group', unread: 4, unreadMentions: 2 }],
    });
    expect(roomView(state, '5')!).toMatchObject({ unread: 4, mentions: 2 });
    state = run(state, { type: 'room.opened', roomId: '5' });
    expect(roomView(state, '5')!).toMatchObject({ unread: 0, mentions: 0 });
  });
});
