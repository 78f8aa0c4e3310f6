import { afterEach, describe, expect, it, vi } from 'vitest';
import { TYPING_EXPIRY_MS } from '../../protocol/index.js';
import { TYPING_RENEW_MS } from '../features/typing/typing.js';
import { ApiError } from '../lib/api.js';
import { ChatController, CATCH_UP_PAGE_SIZE } from './chat-controller.js';
import { FakeSocket, fakeApi } from './fake-transport.js';
import { testMessage as message } from './test-messages.js';

const me = { id: '1', username: 'Pablo' };

/** Lets pending promise callbacks run. */
const settle = () => new Promise((done) => setTimeout(done, 0));

function setUp(overrides: Parameters<typeof fakeApi>[0] = {}, openRoomId: string | null = null) {
  const socket = new FakeSocket();
  const { api, calls } = fakeApi(overrides);
  const onSessionEnded = vi.fn();
  const controller = new ChatController({
    api,
    socket: socket.asChatSocket(),
    me,
    onSessionEnded,
    openRoomId,
  });
  controller.start();
  return { socket, api, calls, controller, onSessionEnded };
}

const general = (controller: ChatController) => controller.getState().rooms['0']!;

afterEach(() => {
  vi.useRealTimers();
});

describe('ChatController', () => {
  it('shows a sent message at once as pending, then confirmed by the ack', async () => {
    const { socket, controller } = setUp();
    socket.goOnline();
    await settle();
    controller.send('0', 'hello');
    expect(general(controller).outbox).toMatchObject([{ text: 'hello', status: 'pending' }]);
    expect(socket.sent[0]?.payload).toEqual({ roomId: '0', message: 'hello' });

    const stored = message('1', 'hello');
    socket.sent[0]!.answer(null, { ok: true, message: stored });
    expect(general(controller).outbox).toEqual([]);
    expect(general(controller).messages).toEqual([stored]);
  });

  it('marks a message failed on a refusal or a timeout, and retry sends it again', async () => {
    const { socket, controller } = setUp();
    socket.goOnline();
    await settle();
    controller.send('0', 'one');
    controller.send('0', 'two');
    socket.sent[0]!.answer(null, {
      ok: false,
      error: { code: 'rate_limited', message: 'too many messages' },
    });
    socket.sent[1]!.answer(new Error('operation has timed out'));
    expect(general(controller).outbox).toMatchObject([
      { text: 'one', status: 'failed', error: 'too many messages' },
      { text: 'two', status: 'failed', error: 'No answer from the server.' },
    ]);

    const [first] = general(controller).outbox;
    controller.retry('0', first!.localId);
    expect(general(controller).outbox[0]?.status).toBe('pending');
    expect(socket.sent).toHaveLength(3);
    socket.sent[2]!.answer(null, { ok: true, message: message('1', 'one') });
    expect(general(controller).outbox.map((out) => out.text)).toEqual(['two']);
  });

  it('does not emit while offline: the message fails at once instead of being buffered', async () => {
    const { socket, controller } = setUp();
    await settle();
    controller.send('0', 'offline words');
    expect(socket.sent).toHaveLength(0);
    expect(general(controller).outbox[0]).toMatchObject({
      status: 'failed',
      error: 'You are offline.',
    });
  });

  it('after a reconnect, fetches what each loaded room missed page by page and merges it', async () => {
    const known = message('2', 'before the outage');
    const missed = Array.from({ length: CATCH_UP_PAGE_SIZE + 5 }, (_, i) =>
      message('2', `missed ${i}`),
    );
    const { socket, controller, calls } = setUp({
      messagesPage: () => [known],
      messagesAfter: (_roomId: string, after: string, size: number) => {
        const start = [known, ...missed].findIndex((m) => m.id === after) + 1;
        return [known, ...missed].slice(start, start + size);
      },
    });
    socket.goOnline();
    await settle();
    expect(general(controller).messages).toEqual([known]);

    socket.goOffline();
    expect(controller.getState().connection).toBe('offline');
    // One of the missed messages also arrives live right after reconnecting.
    socket.goOnline();
    socket.serverEmits('message', missed[3]);
    await vi.waitFor(() => expect(general(controller).messages).toHaveLength(1 + missed.length));

    const catchUps = calls.filter((call) => call.name === 'messagesAfter');
    expect(catchUps.map((call) => call.args)).toEqual([
      ['0', known.id, CATCH_UP_PAGE_SIZE],
      ['0', missed[CATCH_UP_PAGE_SIZE - 1]!.id, CATCH_UP_PAGE_SIZE],
    ]);
    const ids = general(controller).messages.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(controller.getState().reconnectedAt).not.toBeNull();
    // The room list and who is online are refreshed too.
    await vi.waitFor(() => {
      expect(calls.filter((call) => call.name === 'rooms')).toHaveLength(2);
      expect(calls.filter((call) => call.name === 'onlineUsers')).toHaveLength(2);
    });
  });

  it('adds a private room announced by show.room, and one that only a message reveals', async () => {
    const { socket, controller, calls } = setUp({
      rooms: () => [{ id: '1:4', names: ['Pablo', 'Alex'] }],
    });
    socket.goOnline();
    await settle();
    socket.serverEmits('show.room', { id: '1:2', names: ['Pablo', 'Joe'] });
    expect(controller.getState().rooms['1:2']?.summary.names).toEqual(['Pablo', 'Joe']);

    const roomsCallsBefore = calls.filter((call) => call.name === 'rooms').length;
    socket.serverEmits('message', message('3', 'surprise', '1:3'));
    expect(controller.getState().rooms['1:3']?.unread).toBe(1);
    await vi.waitFor(() =>
      expect(calls.filter((call) => call.name === 'rooms').length).toBe(roomsCallsBefore + 1),
    );
  });

  it('opens a private room through the API and shows it', async () => {
    const { socket, controller, calls } = setUp();
    socket.goOnline();
    await controller.openPrivateRoom('2');
    expect(calls.find((call) => call.name === 'openPrivateRoom')?.args).toEqual(['1', '2']);
    expect(controller.getState().currentRoomId).toBe('1:2');
    await vi.waitFor(() =>
      expect(calls.some((call) => call.name === 'messagesPage' && call.args[0] === '1:2')).toBe(
        true,
      ),
    );
  });

  it('ends the session when the server refuses the socket as unauthenticated', () => {
    const { socket, onSessionEnded } = setUp();
    socket.serverEmits(
      'connect_error',
      Object.assign(new Error('refused'), { data: { code: 'unauthenticated' } }),
    );
    expect(onSessionEnded).toHaveBeenCalledOnce();
  });

  it('drops malformed events instead of breaking', async () => {
    const { socket, controller } = setUp();
    socket.goOnline();
    await settle();
    const before = controller.getState();
    socket.serverEmits('message', { roomId: '0', message: 42 });
    socket.serverEmits('user.connected', null);
    expect(controller.getState()).toBe(before);
  });

  it('emits typing at most once per window while typing, and stops on send', async () => {
    vi.useFakeTimers();
    const { socket, controller } = setUp();
    socket.goOnline();
    controller.typingInput('0', 'h');
    vi.advanceTimersByTime(500);
    controller.typingInput('0', 'he');
    vi.advanceTimersByTime(TYPING_RENEW_MS);
    controller.typingInput('0', 'hel');
    controller.send('0', 'hello');
    expect(socket.emitted).toEqual([
      { event: 'typing', payload: { roomId: '0', typing: true } },
      { event: 'typing', payload: { roomId: '0', typing: true } },
      { event: 'typing', payload: { roomId: '0', typing: false } },
    ]);
    // Leaving the box after sending says nothing more.
    controller.typingStopped('0');
    expect(socket.emitted).toHaveLength(3);
  });

  it('shows who types until their notice expires, 5 s without a renewal', async () => {
    vi.useFakeTimers();
    const { socket, controller } = setUp();
    socket.goOnline();
    const notice = { roomId: '0', userId: '2', username: 'Joe', typing: true };
    socket.serverEmits('typing', notice);
    vi.advanceTimersByTime(TYPING_EXPIRY_MS - 1000);
    socket.serverEmits('typing', notice);
    vi.advanceTimersByTime(TYPING_EXPIRY_MS - 1000);
    expect(general(controller).typists.map((typist) => typist.username)).toEqual(['Joe']);
    vi.advanceTimersByTime(1000);
    expect(general(controller).typists).toEqual([]);

    // A stop clears at once.
    socket.serverEmits('typing', notice);
    socket.serverEmits('typing', { ...notice, typing: false });
    expect(general(controller).typists).toEqual([]);
  });

  it('edits and deletes own messages through acknowledged events, and reports refusals', async () => {
    const mine = message('1', 'teh typo');
    const { socket, controller } = setUp({ messagesPage: () => [mine] });
    socket.goOnline();
    await settle();

    const edit = controller.editMessage('0', mine.id, 'the typo');
    expect(socket.sent.at(-1)).toMatchObject({
      event: 'message.edit',
      payload: { roomId: '0', id: mine.id, message: 'the typo' },
    });
    socket.sent.at(-1)!.answer(null, {
      ok: true,
      message: { ...mine, message: 'the typo', edited: true },
    });
    await edit;
    expect(general(controller).messages[0]).toMatchObject({ message: 'the typo', edited: true });

    const refused = controller.deleteMessage('0', mine.id);
    expect(socket.sent.at(-1)).toMatchObject({ event: 'message.delete' });
    socket.sent.at(-1)!.answer(null, {
      ok: false,
      error: { code: 'not_author', message: 'you can only change your own messages' },
    });
    await expect(refused).rejects.toThrow('you can only change your own messages');

    // Someone else's live update replaces the message too (here: deleted on another tab).
    socket.serverEmits('message.updated', { ...mine, message: '', deleted: true });
    expect(general(controller).messages[0]).toMatchObject({ deleted: true });

    socket.goOffline();
    await expect(controller.editMessage('0', mine.id, 'x')).rejects.toThrow('You are offline.');
  });

  it('creates, joins and leaves group rooms, and follows hide.room and room.member', async () => {
    const { socket, controller, calls } = setUp({
      members: (roomId: string) =>
        roomId === '7' ? [{ id: '1', username: 'Pablo', online: true }] : [],
    });
    socket.goOnline();
    await settle();

    await controller.createRoom('design', 'private');
    expect(calls.find((call) => call.name === 'createRoom')?.args).toEqual(['design', 'private']);
    expect(controller.getState().currentRoomId).toBe('7');
    expect(controller.getState().rooms['7']?.summary).toMatchObject({ visibility: 'private' });
    await vi.waitFor(() => expect(controller.getState().rooms['7']?.members).toHaveLength(1));

    socket.serverEmits('room.member', {
      roomId: '7',
      user: { id: '2', username: 'Joe' },
      joined: true,
    });
    expect(controller.getState().rooms['7']?.members?.map((m) => m.username)).toEqual([
      'Joe',
      'Pablo',
    ]);

    // show.room keeps what a group room is.
    socket.serverEmits('show.room', {
      id: '8',
      names: ['ops'],
      kind: 'group',
      visibility: 'public',
    });
    expect(controller.getState().rooms['8']?.summary).toMatchObject({ kind: 'group' });
    await controller.joinRoom('8');
    // Already listed: no join request, just opened.
    expect(calls.some((call) => call.name === 'joinRoom')).toBe(false);
    expect(controller.getState().currentRoomId).toBe('8');

    await controller.leaveRoom('8');
    expect(calls.find((call) => call.name === 'leaveRoom')?.args).toEqual(['8']);
    expect(controller.getState().rooms['8']).toBeUndefined();
    expect(controller.getState().currentRoomId).toBe('0');

    // Left on another tab.
    socket.serverEmits('hide.room', { id: '7' });
    expect(controller.getState().rooms['7']).toBeUndefined();
  });

  it("refuses to create a room with a taken name with the server's reason", async () => {
    const { socket, controller } = setUp({
      createRoom: () => {
        throw new ApiError(409, 'conflict', 'a room named "design" already exists');
      },
    });
    socket.goOnline();
    await expect(controller.createRoom('Design', 'public')).rejects.toMatchObject({
      code: 'conflict',
      message: 'a room named "design" already exists',
    });
    expect(controller.getState().currentRoomId).toBe('0');
  });

  it('reopens the room named by the address and reads nothing else before it is settled', async () => {
    const older = message('3', 'unread in General');
    let answerRooms: (rooms: unknown) => void = () => undefined;
    const { calls, controller } = setUp(
      {
        rooms: () => new Promise((answer) => (answerRooms = answer)),
        messagesPage: (roomId: string) => (roomId === '0' ? [older] : []),
      },
      '1:3',
    );
    await settle();
    // General is loaded and on screen meanwhile, but seeing it must not mark it read.
    controller.markRead('0');
    expect(calls.filter((call) => call.name === 'markRead')).toEqual([]);

    answerRooms([
      { id: '0', names: ['General'], kind: 'general', unread: 1 },
      { id: '1:3', names: ['Pablo', 'Mary'] },
    ]);
    await settle();
    expect(controller.getState().currentRoomId).toBe('1:3');
    expect(general(controller).unread).toBe(1);
    expect(calls.some((call) => call.name === 'messagesPage' && call.args[0] === '1:3')).toBe(true);
  });

  it('drops a group room left on another tab while offline, but not one joined meanwhile', async () => {
    const general = { id: '0', names: ['General'], kind: 'general' as const };
    const design = {
      id: '7',
      names: ['Design'],
      kind: 'group' as const,
      visibility: 'public' as const,
    };
    const lists: ((rooms: unknown) => void)[] = [];
    const { socket, controller } = setUp({
      rooms: () => new Promise((answer) => lists.push(answer)),
      joinRoom: (roomId: string) => ({ id: roomId, names: ['Ops'], kind: 'group' }),
    });
    socket.goOnline();
    await settle();
    lists.shift()!([general, design]);
    await settle();
    expect(Object.keys(controller.getState().rooms).sort()).toEqual(['0', '7']);

    // Offline, Design was left elsewhere; back online, the catch-up asks for the list, and
    // while that request is out this tab joins Ops.
    socket.goOffline();
    socket.goOnline();
    await vi.waitFor(() => expect(lists).toHaveLength(1));
    await controller.joinRoom('8');
    lists.shift()!([general]);
    await settle();
    expect(Object.keys(controller.getState().rooms).sort()).toEqual(['0', '8']);
  });

  it('takes a message.batch like its messages one by one, skipping malformed entries', async () => {
    const { socket, controller } = setUp();
    socket.goOnline();
    await settle();
    const [a, b] = [message('2', 'first of a batch'), message('3', 'second of a batch')];
    socket.serverEmits('message.batch', [a, { nonsense: true }, b]);
    expect(general(controller).messages.map((m) => m.message)).toEqual([
      'first of a batch',
      'second of a batch',
    ]);
    socket.serverEmits('message.batch', 'not a list');
    expect(general(controller).messages).toHaveLength(2);
  });
});
