/** Typing notices through the fake transport, both ways. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TYPING_EXPIRY_MS } from '../../../protocol/index.js';
import { roomView, startTestSession } from '../../test/chat-harness.js';
import { TYPING_RENEW_MS } from './typing.js';
import type { ChatState } from '../../screens/chat-state.js';

const general = (state: ChatState) => roomView(state, '0')!;

afterEach(() => {
  vi.useRealTimers();
});

describe('typing-effects', () => {
  it('emits typing at most once per window while typing, and stops on send', async () => {
    vi.useFakeTimers();
    const { socket, session } = startTestSession();
    socket.goOnline();
    session.typing.input('0', 'h');
    vi.advanceTimersByTime(500);
    session.typing.input('0', 'he');
    vi.advanceTimersByTime(TYPING_RENEW_MS);
    session.typing.input('0', 'hel');
    session.messages.send('0', 'hello');
    expect(socket.emitted).toEqual([
      { event: 'typing', payload: { roomId: '0', typing: true } },
      { event: 'typing', payload: { roomId: '0', typing: true } },
      { event: 'typing', payload: { roomId: '0', typing: false } },
    ]);
    // Leaving the box after sending says nothing more.
    session.typing.stopped('0');
    expect(socket.emitted).toHaveLength(3);
  });

  it('shows who types until their notice expires, 5 s without a renewal', async () => {
    vi.useFakeTimers();
    const { socket, state } = startTestSession();
    socket.goOnline();
    const notice = { roomId: '0', userId: '2', username: 'Joe', typing: true };
    socket.serverEmits('typing', notice);
    vi.advanceTimersByTime(TYPING_EXPIRY_MS - 1000);
    socket.serverEmits('typing', notice);
    vi.advanceTimersByTime(TYPING_EXPIRY_MS - 1000);
    expect(general(state()).typists.map((typist) => typist.username)).toEqual(['Joe']);
    vi.advanceTimersByTime(1000);
    expect(general(state()).typists).toEqual([]);

    // A stop clears at once.
    socket.serverEmits('typing', notice);
    socket.serverEmits('typing', { ...notice, typing: false });
    expect(general(state()).typists).toEqual([]);
  });
});
