import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../protocol/index.js';
import { chatReducer, initialChatState, type ChatAction, type ChatState } from './chat-state.js';
import { pendingMessage, testMessage as message } from './test-messages.js';

const me = { id: '1', username: 'Pablo' };

const run = (state: ChatState, ...actions: ChatAction[]) => actions.reduce(chatReducer, state);

function withGeneralLoaded(messages: ChatMessage[] = []): ChatState {
  return run(
    initialChatState(me),
    { type: 'page.started', roomId: '0', older: false },
    { type: 'page.loaded', roomId: '0', messages: [...messages].reverse(), size: 30, older: false },
  );
}

describe('chatReducer', () => {
  it('merges pages, live messages and catch-up by id: nothing twice, oldest first', () => {
    const [a, b, c] = [message('2', 'a'), message('2', 'b'), message('2', 'c')];
    let state = withGeneralLoaded([a!, b!]);
    state = run(
      state,
      { type: 'messages.received', messages: [c!] },
      // The same message again from the catch-up after a reconnect, plus an old one.
      { type: 'messages.received', messages: [b!, c!] },
    );
    expect(state.rooms['0']!.messages.map((m) => m.message)).toEqual(['a', 'b', 'c']);
  });

  it('an older page goes before the loaded messages and ends the history when short', () => {
    const older = [message('2', 'old1'), message('2', 'old2')];
    const newer = [message('2', 'new')];
    let state = withGeneralLoaded(newer);
    state = run(
      state,
      { type: 'page.started', roomId: '0', older: true },
      { type: 'page.loaded', roomId: '0', messages: [...older].reverse(), size: 30, older: true },
    );
    const room = state.rooms['0']!;
    expect(room.messages.map((m) => m.message)).toEqual(['old1', 'old2', 'new']);
    expect(room.hasOlder).toBe(false);
    expect(room.loadingOlder).toBe(false);
  });

  it('counts unread messages of others in rooms that are not shown, once each', () => {
    const privateMessage = message('2', 'psst', '1:2');
    let state = run(
      withGeneralLoaded(),
      { type: 'room.added', room: { id: '1:2', names: ['Pablo', 'Joe'] } },
      { type: 'messages.received', messages: [privateMessage] },
      { type: 'messages.received', messages: [privateMessage] },
      { type: 'messages.received', messages: [message('3', 'in general')] },
    );
    expect(state.rooms['1:2']!.unread).toBe(1);
    expect(state.rooms['1:2']!.lastMessage?.message).toBe('psst');
    expect(state.rooms['0']!.unread).toBe(0);
    // Answering (from another tab) means the room was read.
    state = run(state, { type: 'messages.received', messages: [message('1', 'mine', '1:2')] });
    expect(state.rooms['1:2']!.unread).toBe(0);
    expect(state.rooms['1:2']!.lastMessage?.message).toBe('mine');
    expect(state.rooms['0']!.unread).toBe(0);
    state = run(state, { type: 'room.selected', roomId: '1:2' });
    expect(state.rooms['1:2']!.unread).toBe(0);
    expect(state.currentRoomId).toBe('1:2');
  });

  it("takes the server's unread counts, except where our own message is the newest", () => {
    const state = run(withGeneralLoaded(), {
      type: 'rooms.loaded',
      rooms: [
        { id: '1:2', names: ['Pablo', 'Joe'], unread: 3, lastMessage: message('2', 'hey', '1:2') },
        { id: '1:3', names: ['Pablo', 'Mary'], unread: 1, lastMessage: message('1', 'ok', '1:3') },
      ],
    });
    expect(state.rooms['1:2']!.unread).toBe(3);
    expect(state.rooms['1:3']!.unread).toBe(0);
    expect(state.users['3']?.username).toBe('Mary');
  });

  it('adds an unknown private room when a message arrives in it, named from known users', () => {
    const state = run(
      withGeneralLoaded(),
      {
        type: 'users.loaded',
        users: { '3': { id: '3', username: 'Mary', online: true } },
        onlineSnapshot: false,
      },
      { type: 'messages.received', messages: [message('3', 'hello', '1:3')] },
    );
    expect(state.rooms['1:3']!.summary.names).toEqual(['Pablo', 'Mary']);
    expect(state.rooms['1:3']!.unread).toBe(1);
    expect(state.rooms['1:3']!.lastMessage?.message).toBe('hello');
  });

  it('replaces a pending message by its confirmed copy whichever arrives first', () => {
    const pending = pendingMessage('hi');
    const confirmed = message('1', 'hi');
    // The broadcast arrives before the ack.
    let state = run(
      withGeneralLoaded(),
      { type: 'outbox.added', message: pending },
      { type: 'messages.received', messages: [confirmed] },
    );
    expect(state.rooms['0']!.outbox).toEqual([]);
    state = run(state, {
      type: 'outbox.confirmed',
      roomId: '0',
      localId: 'local-1',
      message: confirmed,
    });
    expect(state.rooms['0']!.messages.filter((m) => m.id === confirmed.id)).toHaveLength(1);
    expect(state.rooms['0']!.outbox).toEqual([]);
  });

  it('marks a message failed with its reason, and pending again on retry', () => {
    const pending = pendingMessage('hi');
    let state = run(
      withGeneralLoaded(),
      { type: 'outbox.added', message: pending },
      { type: 'outbox.failed', roomId: '0', localId: 'local-1', error: 'slow down' },
    );
    expect(state.rooms['0']!.outbox[0]).toMatchObject({ status: 'failed', error: 'slow down' });
    state = run(state, { type: 'outbox.retried', roomId: '0', localId: 'local-1' });
    expect(state.rooms['0']!.outbox[0]).toEqual({ ...pending, status: 'pending' });
  });

  it('tracks presence and writes "connected" / "left" notices in General', () => {
    let state = run(
      withGeneralLoaded([message('2', 'x')]),
      {
        type: 'presence.changed',
        user: { id: '2', username: 'Joe', online: true },
        noticeId: 'n1',
      },
      {
        type: 'presence.changed',
        user: { id: '2', username: 'Joe', online: true },
        noticeId: 'n2',
      },
      {
        type: 'presence.changed',
        user: { id: '2', username: 'Joe', online: false },
        noticeId: 'n3',
      },
    );
    expect(state.rooms['0']!.notices.map((notice) => notice.text)).toEqual([
      'Joe connected',
      'Joe left',
    ]);
    expect(state.users['2']?.online).toBe(false);
    // A snapshot of who is online replaces what we believed, without notices.
    state = run(state, {
      type: 'users.loaded',
      users: { '2': { id: '2', username: 'Joe', online: true } },
      onlineSnapshot: true,
    });
    expect(state.users['2']?.online).toBe(true);
    expect(state.rooms['0']!.notices).toHaveLength(2);
  });

  it('shows "back online" only after a lost connection comes back', () => {
    let state = run(initialChatState(me), { type: 'connection.changed', status: 'online', at: 5 });
    expect(state.reconnectedAt).toBeNull();
    state = run(
      state,
      { type: 'connection.changed', status: 'offline', at: 6 },
      { type: 'connection.changed', status: 'online', at: 7 },
    );
    expect(state.reconnectedAt).toBe(7);
  });

  it('counts mentions of the reader apart from other unread messages, and clears both on read', () => {
    let state = withGeneralLoaded();
    const plain = message('2', 'hello', '5');
    const mention = { ...message('2', 'hey @Pablo', '5'), mentions: ['1'] };
    const other = { ...message('2', 'hey @Joe', '5'), mentions: ['3'] };
    state = run(
      state,
      { type: 'room.added', room: { id: '5', names: ['design'], kind: 'group' } },
      { type: 'messages.received', messages: [plain, mention, other] },
    );
    expect(state.rooms['5']).toMatchObject({ unread: 3, mentions: 1 });

    // Another tab read up to the newest message.
    state = run(state, { type: 'room.read', marker: { roomId: '5', lastReadId: other.id } });
    expect(state.rooms['5']).toMatchObject({ unread: 0, mentions: 0 });
  });

  it('takes unread mentions from the room list and clears them when the room is opened', () => {
    let state = run(initialChatState(me), {
      type: 'rooms.loaded',
      rooms: [{ id: '5', names: ['design'], kind: 'group', unread: 4, unreadMentions: 2 }],
    });
    expect(state.rooms['5']).toMatchObject({ unread: 4, mentions: 2 });
    state = run(state, { type: 'room.selected', roomId: '5' });
    expect(state.rooms['5']).toMatchObject({ unread: 0, mentions: 0 });
  });

  it('drops a room the user left, falling back to General when it was open', () => {
    let state = run(
      initialChatState(me),
      { type: 'room.added', room: { id: '5', names: ['design'], kind: 'group' } },
      { type: 'room.selected', roomId: '5' },
      { type: 'room.removed', roomId: '5' },
    );
    expect(state.rooms['5']).toBeUndefined();
    expect(state.currentRoomId).toBe('0');
    // General is never dropped.
    state = run(state, { type: 'room.removed', roomId: '0' });
    expect(state.rooms['0']).toBeDefined();
  });

  it('keeps a loaded member list in step with joins and leaves, sorted by name', () => {
    let state = run(
      initialChatState(me),
      { type: 'room.added', room: { id: '5', names: ['design'], kind: 'group' } },
      // A change before the list is loaded is left to the load.
      {
        type: 'member.changed',
        change: { roomId: '5', user: { id: '9', username: 'Zed' }, joined: true },
      },
    );
    expect(state.rooms['5']!.members).toBeNull();
    state = run(
      state,
      {
        type: 'members.loaded',
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
    expect(state.rooms['5']!.members!.map((member) => member.username)).toEqual(['Joe', 'Pablo']);
    // The names are known to the timeline too.
    expect(state.users['2']?.username).toBe('Joe');
  });

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
    expect(state.rooms['0']!.typists.map((typist) => typist.username)).toEqual(['Joe', 'Mary']);

    // Mary's message arrives: she is done typing.
    state = run(state, { type: 'messages.received', messages: [message('3', 'done')] });
    expect(state.rooms['0']!.typists.map((typist) => typist.username)).toEqual(['Joe']);

    // Joe renews later than the first notice; an expiry check in between keeps him.
    state = run(
      state,
      { ...notice('2', 'Joe', true), until: 9000 },
      { type: 'typing.expired', roomId: '0', now: 6000 },
    );
    expect(state.rooms['0']!.typists).toHaveLength(1);
    state = run(state, { type: 'typing.expired', roomId: '0', now: 9000 });
    expect(state.rooms['0']!.typists).toEqual([]);

    state = run(state, notice('2', 'Joe', true), notice('2', 'Joe', false));
    expect(state.rooms['0']!.typists).toEqual([]);
  });

  it('changes the preview of a room whose messages are not loaded when its last one is deleted', () => {
    const last = message('2', 'secret', '1:2');
    let state = run(initialChatState(me), {
      type: 'rooms.loaded',
      rooms: [{ id: '1:2', names: ['Pablo', 'Joe'], lastMessage: last }],
    });
    state = run(state, {
      type: 'message.updated',
      message: { ...last, message: '', deleted: true },
    });
    expect(state.rooms['1:2']!.lastMessage).toMatchObject({ deleted: true });
    expect(state.rooms['1:2']!.messages).toEqual([]);
  });

  it('opens the room the address named once the room list confirms it, keeping General unread', () => {
    const general = { id: '0', names: ['General'], kind: 'general' as const, unread: 2 };
    const withMary = { id: '1:3', names: ['Pablo', 'Mary'], unread: 1 };
    let state = initialChatState(me, '1:3');
    expect(state.opening).toBe('1:3');
    expect(state.currentRoomId).toBe('0');

    state = run(state, { type: 'rooms.loaded', rooms: [general, withMary] });
    expect(state.opening).toBeNull();
    expect(state.currentRoomId).toBe('1:3');
    expect(state.rooms['1:3']!.unread).toBe(0);
    expect(state.rooms['0']!.unread).toBe(2);
  });

  it('falls back to General when the address names a room the user is not in', () => {
    let state = initialChatState(me, '7:8');
    state = run(state, { type: 'rooms.loaded', rooms: [{ id: '0', names: ['General'] }] });
    expect(state.currentRoomId).toBe('0');
    expect(state.opening).toBeNull();

    state = run(initialChatState(me, '1:3'), { type: 'opening.abandoned' });
    expect(state.opening).toBeNull();
    expect(initialChatState(me, '0').opening).toBeNull();
  });
});
