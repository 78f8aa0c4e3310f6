/** Room timelines: merging by id, pages, our sends, notices, previews. */
import { describe, expect, it } from 'vitest';
import { freshState, roomView, withGeneralLoaded } from '../../test/chat-harness.js';
import { pendingMessage, testMessage as message } from '../../test/test-messages.js';
import { chatReducer, type ChatAction, type ChatState } from '../../screens/chat-state.js';

const run = (state: ChatState, ...actions: ChatAction[]) => actions.reduce(chatReducer, state);

describe('timelines-slice', () => {
  it('merges pages, live messages and catch-up by id: nothing twice, oldest first', () => {
    const [a, b, c] = [message('2', 'a'), message('2', 'b'), message('2', 'c')];
    let state = withGeneralLoaded([a!, b!]);
    state = run(
      state,
      { type: 'messages.arrived', messages: [c!] },
      // The same message again from the catch-up after a reconnect, plus an old one.
      { type: 'messages.arrived', messages: [b!, c!] },
    );
    expect(roomView(state, '0')!.messages.map((m) => m.message)).toEqual(['a', 'b', 'c']);
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
    const room = roomView(state, '0')!;
    expect(room.messages.map((m) => m.message)).toEqual(['old1', 'old2', 'new']);
    expect(room.hasOlder).toBe(false);
    expect(room.loadingOlder).toBe(false);
  });

  it('replaces a pending message by its confirmed copy whichever arrives first', () => {
    const pending = pendingMessage('hi');
    const confirmed = message('1', 'hi');
    // The broadcast arrives before the ack.
    let state = run(
      withGeneralLoaded(),
      { type: 'outbox.added', message: pending },
      { type: 'messages.arrived', messages: [confirmed] },
    );
    expect(roomView(state, '0')!.outbox).toEqual([]);
    state = run(
      state,
      { type: 'outbox.confirmed', roomId: '0', localId: 'local-1' },
      { type: 'messages.arrived', messages: [confirmed] },
    );
    expect(roomView(state, '0')!.messages.filter((m) => m.id === confirmed.id)).toHaveLength(1);
    expect(roomView(state, '0')!.outbox).toEqual([]);
  });

  it('marks a message failed with its reason, and pending again on retry', () => {
    const pending = pendingMessage('hi');
    let state = run(
      withGeneralLoaded(),
      { type: 'outbox.added', message: pending },
      { type: 'outbox.failed', roomId: '0', localId: 'local-1', error: 'slow down' },
    );
    expect(roomView(state, '0')!.outbox[0]).toMatchObject({ status: 'failed', error: 'slow down' });
    state = run(state, { type: 'outbox.retried', roomId: '0', localId: 'local-1' });
    expect(roomView(state, '0')!.outbox[0]).toEqual({ ...pending, status: 'pending' });
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
    expect(roomView(state, '0')!.notices.map((notice) => notice.text)).toEqual([
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
    expect(roomView(state, '0')!.notices).toHaveLength(2);
  });

  it('changes the preview of a room whose messages are not loaded when its last one is deleted', () => {
    const last = message('2', 'secret', '1:2');
    let state = run(freshState(), {
      type: 'rooms.listed',
      rooms: [{ id: '1:2', names: ['Pablo', 'Joe'], lastMessage: last }],
    });
    state = run(state, {
      type: 'message.updated',
      message: { ...last, message: '', deleted: true },
    });
    expect(roomView(state, '1:2')!.lastMessage).toMatchObject({ deleted: true });
    expect(roomView(state, '1:2')!.messages).toEqual([]);
  });
});
