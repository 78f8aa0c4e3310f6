/** Reconnecting, catching up, and the end of a session. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { roomView, settle, startTestSession } from '../../test/chat-harness.js';
import { testMessage as message } from '../../test/test-messages.js';
import { CATCH_UP_PAGE_SIZE } from '../messages/index.js';
import type { ChatState } from '../../screens/chat-state.js';

const general = (state: ChatState) => roomView(state, '0')!;

afterEach(() => {
  vi.useRealTimers();
});

describe('connection-effects', () => {
  it('after a reconnect, fetches what each loaded room missed page by page and merges it', async () => {
    const known = message('2', 'before the outage');
    const missed = Array.from({ length: CATCH_UP_PAGE_SIZE + 5 }, (_, i) =>
      message('2', `missed ${i}`),
    );
    const { socket, state, calls } = startTestSession({
      messagesPage: () => [known],
      messagesAfter: (_roomId: string, after: string, size: number) => {
        const start = [known, ...missed].findIndex((m) => m.id === after) + 1;
        return [known, ...missed].slice(start, start + size);
      },
    });
    socket.goOnline();
    await settle();
    expect(general(state()).messages).toEqual([known]);

    socket.goOffline();
    expect(state().connection.status).toBe('offline');
    // One of the missed messages also arrives live right after reconnecting.
    socket.goOnline();
    socket.serverEmits('message', missed[3]);
    await vi.waitFor(() => expect(general(state()).messages).toHaveLength(1 + missed.length));

    const catchUps = calls.filter((call) => call.name === 'messagesAfter');
    expect(catchUps.map((call) => call.args)).toEqual([
      ['0', known.id, CATCH_UP_PAGE_SIZE],
      ['0', missed[CATCH_UP_PAGE_SIZE - 1]!.id, CATCH_UP_PAGE_SIZE],
    ]);
    const ids = general(state()).messages.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(state().connection.reconnectedAt).not.toBeNull();
    // The room list and who is online are refreshed too.
    await vi.waitFor(() => {
      expect(calls.filter((call) => call.name === 'rooms')).toHaveLength(2);
      expect(calls.filter((call) => call.name === 'onlineUsers')).toHaveLength(2);
    });
  });

  it('on the first connect, fetches what was posted after the first page loaded', async () => {
    const known = message('2', 'in the first page');
    const between = message('3', 'posted before the socket joined');
    const { socket, state, calls } = startTestSession({
      messagesPage: () => [known],
      messagesAfter: (_roomId: string, after: string) => (after === known.id ? [between] : []),
    });
    await settle();
    expect(general(state()).messages).toEqual([known]);
    socket.goOnline();
    await vi.waitFor(() => expect(general(state()).messages).toEqual([known, between]));
    expect(calls.filter((call) => call.name === 'messagesAfter')).toHaveLength(1);
    // Only the messages: the room list and who is online were loaded with the page.
    expect(calls.filter((call) => call.name === 'rooms')).toHaveLength(1);
  });

  it('after the server closes the socket, reconnects while the session lives', async () => {
    const { socket, onSessionEnded } = startTestSession({
      me: () => ({ id: '1', username: 'Pablo', admin: false }),
    });
    socket.goOnline();
    socket.disconnect();
    socket.serverEmits('disconnect', 'io server disconnect');
    await vi.waitFor(() => expect(socket.active).toBe(true));
    expect(onSessionEnded).not.toHaveBeenCalled();
  });

  it('after the server closes the socket of an ended session, ends it without reconnecting', async () => {
    const { socket, onSessionEnded } = startTestSession({ me: () => null });
    socket.goOnline();
    socket.disconnect();
    socket.serverEmits('disconnect', 'io server disconnect');
    await vi.waitFor(() => expect(onSessionEnded).toHaveBeenCalledOnce());
    expect(socket.active).toBe(false);
  });

  it('ends the session when the server refuses the socket as unauthenticated', () => {
    const { socket, onSessionEnded } = startTestSession();
    socket.serverEmits(
      'connect_error',
      Object.assign(new Error('refused'), { data: { code: 'unauthenticated' } }),
    );
    expect(onSessionEnded).toHaveBeenCalledOnce();
  });

  it('asks who is signed in when the server refuses a handshake without a code', async () => {
    const { socket, calls, onSessionEnded } = startTestSession({ me: () => null });
    await settle();
    socket.serverEmits(
      'connect_error',
      Object.assign(new Error('xhr poll error'), { description: 403 }),
    );
    await vi.waitFor(() => expect(onSessionEnded).toHaveBeenCalledOnce());
    expect(calls.filter((call) => call.name === 'me')).toHaveLength(1);
  });

  it('asks nothing while no server answers at all', async () => {
    const { socket, calls, onSessionEnded } = startTestSession({ me: () => null });
    await settle();
    const before = calls.length;
    socket.serverEmits(
      'connect_error',
      Object.assign(new Error('xhr poll error'), { description: 0 }),
    );
    socket.serverEmits('connect_error', new Error('websocket error'));
    await settle();
    expect(calls.slice(before)).toEqual([]);
    expect(onSessionEnded).not.toHaveBeenCalled();
  });
});
