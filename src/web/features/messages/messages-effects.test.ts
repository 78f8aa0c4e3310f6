/** Sending, editing and deleting messages, and live messages, through the fake transport. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { roomView, settle, startTestSession } from '../../test/chat-harness.js';
import { testMessage as message } from '../../test/test-messages.js';
import type { ChatState } from '../../screens/chat-state.js';
import { CLIENT_MESSAGE_ID_PATTERN } from '../../../protocol/limits.js';

const general = (state: ChatState) => roomView(state, '0')!;

afterEach(() => {
  vi.useRealTimers();
});

describe('messages-effects', () => {
  it('shows a sent message at once as pending, then confirmed by the ack', async () => {
    const { socket, session, state } = startTestSession();
    socket.goOnline();
    await settle();
    session.messages.send('0', 'hello');
    expect(general(state()).outbox).toMatchObject([{ text: 'hello', status: 'pending' }]);
    expect(socket.sent[0]?.payload).toEqual({
      roomId: '0',
      message: 'hello',
      clientId: expect.stringMatching(CLIENT_MESSAGE_ID_PATTERN),
    });

    const stored = message('1', 'hello');
    socket.sent[0]!.answer(null, { ok: true, message: stored });
    expect(general(state()).outbox).toEqual([]);
    expect(general(state()).messages).toEqual([stored]);
  });

  it('marks a message failed on a refusal or a timeout, and retry sends it again', async () => {
    const { socket, session, state } = startTestSession();
    socket.goOnline();
    await settle();
    session.messages.send('0', 'one');
    session.messages.send('0', 'two');
    socket.sent[0]!.answer(null, {
      ok: false,
      error: { code: 'rate_limited', message: 'too many messages' },
    });
    socket.sent[1]!.answer(new Error('operation has timed out'));
    expect(general(state()).outbox).toMatchObject([
      { text: 'one', status: 'failed', error: 'too many messages' },
      { text: 'two', status: 'failed', error: 'No answer from the server.' },
    ]);

    const [first] = general(state()).outbox;
    session.messages.retry('0', first!.localId);
    expect(general(state()).outbox[0]?.status).toBe('pending');
    expect(socket.sent).toHaveLength(3);
    // The retry carries the first try's clientId: the server stores the message once.
    const clientIdOf = (i: number) => socket.sent[i]?.payload.clientId;
    expect(clientIdOf(2)).toBe(clientIdOf(0));
    expect(clientIdOf(1)).not.toBe(clientIdOf(0));
    socket.sent[2]!.answer(null, { ok: true, message: message('1', 'one') });
    expect(general(state()).outbox.map((out) => out.text)).toEqual(['two']);
  });

  it('does not emit while offline: the message fails at once instead of being buffered', async () => {
    const { socket, session, state } = startTestSession();
    await settle();
    session.messages.send('0', 'offline words');
    expect(socket.sent).toHaveLength(0);
    expect(general(state()).outbox[0]).toMatchObject({
      status: 'failed',
      error: 'You are offline.',
    });
  });

  it('drops malformed events instead of breaking', async () => {
    const { socket, state } = startTestSession();
    socket.goOnline();
    await settle();
    const before = state();
    socket.serverEmits('message', { roomId: '0', message: 42 });
    socket.serverEmits('user.connected', null);
    expect(state()).toBe(before);
  });

  it('edits and deletes own messages through acknowledged events, and reports refusals', async () => {
    const mine = message('1', 'teh typo');
    const { socket, session, state } = startTestSession({ messagesPage: () => [mine] });
    socket.goOnline();
    await settle();

    const edit = session.messages.editMessage('0', mine.id, 'the typo');
    expect(socket.sent.at(-1)).toMatchObject({
      event: 'message.edit',
      payload: { roomId: '0', id: mine.id, message: 'the typo' },
    });
    socket.sent.at(-1)!.answer(null, {
      ok: true,
      message: { ...mine, message: 'the typo', edited: true },
    });
    await edit;
    expect(general(state()).messages[0]).toMatchObject({ message: 'the typo', edited: true });

    const refused = session.messages.deleteMessage('0', mine.id);
    expect(socket.sent.at(-1)).toMatchObject({ event: 'message.delete' });
    socket.sent.at(-1)!.answer(null, {
      ok: false,
      error: { code: 'not_author', message: 'you can only change your own messages' },
    });
    await expect(refused).rejects.toThrow('you can only change your own messages');

    // Someone else's live update replaces the message too (here: deleted on another tab).
    socket.serverEmits('message.updated', { ...mine, message: '', deleted: true });
    expect(general(state()).messages[0]).toMatchObject({ deleted: true });

    socket.goOffline();
    await expect(session.messages.editMessage('0', mine.id, 'x')).rejects.toThrow(
      'You are offline.',
    );
  });

  it('takes a message.batch like its messages one by one, skipping malformed entries', async () => {
    const { socket, state } = startTestSession();
    socket.goOnline();
    await settle();
    const [a, b] = [message('2', 'first of a batch'), message('3', 'second of a batch')];
    socket.serverEmits('message.batch', [a, { nonsense: true }, b]);
    expect(general(state()).messages.map((m) => m.message)).toEqual([
      'first of a batch',
      'second of a batch',
    ]);
    socket.serverEmits('message.batch', 'not a list');
    expect(general(state()).messages).toHaveLength(2);
  });
});
